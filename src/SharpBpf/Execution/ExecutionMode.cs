namespace SharpBpf.Execution;

/// <summary>Whether an engine validates memory accesses at run time.</summary>
public enum ExecutionMode
{
    /// <summary>Every load, store, atomic and helper pointer argument is checked against the live regions; for unverified programs.</summary>
    Checked,
    /// <summary>Accesses are trusted (the verifier proved them); faster, and a wrong program can corrupt the host.</summary>
    Unchecked,
    /// <summary>
    /// The loads, stores and atomics the verifier proved in bounds on every path run without a check; every other
    /// access, and every helper's memory argument, is checked as in <see cref="Checked"/>. Without proofs (an
    /// unverified program) this is <see cref="Checked"/>. The default for objects the runtime verified.
    /// </summary>
    ProvenUnchecked,
}
