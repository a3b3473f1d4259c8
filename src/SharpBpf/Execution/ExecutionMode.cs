namespace SharpBpf.Execution;

/// <summary>Whether an engine validates memory accesses at run time.</summary>
public enum ExecutionMode
{
    /// <summary>Every load, store, atomic and helper pointer argument is checked against the live regions; for unverified programs.</summary>
    Checked,
    /// <summary>Accesses are trusted (the verifier proved them); faster, and a wrong program can corrupt the host.</summary>
    Unchecked,
}
