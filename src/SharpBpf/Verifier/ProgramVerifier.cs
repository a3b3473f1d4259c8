namespace SharpBpf.Verifier;

/// <summary>
/// Static verification of one program, as the kernel's verifier does it before a program may run: every path is
/// explored with what each register holds, and the program is rejected with the kernel's words where it breaks a
/// rule this verifier enforces (see docs/verifier.md). Memory safety of accepted programs still rests on checked
/// mode where the verifier does not prove it.
/// </summary>
public static class ProgramVerifier
{
    public static VerificationResult Verify(VerifierInput input, VerifierOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new Analysis(input, options ?? new VerifierOptions()).Run();
    }
}
