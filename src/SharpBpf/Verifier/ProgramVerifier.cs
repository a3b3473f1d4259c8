namespace SharpBpf.Verifier;

/// <summary>
/// Static verification of one program, as the kernel's verifier does it before a program may run: every path is
/// explored with what each register holds, and the program is rejected with the kernel's words where it breaks a
/// rule this verifier enforces (see docs/verifier.md). An accepted program also carries, per memory instruction,
/// whether every visit was proven in bounds (<see cref="VerificationResult.AccessProofs"/>); the engines run those
/// accesses without a check and keep checking the rest.
/// </summary>
internal static class ProgramVerifier
{
    public static VerificationResult Verify(VerifierInput input, VerifierOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        var analysis = new Analysis(input, options ?? new VerifierOptions());
        var result = analysis.Run();
        return result.Accepted ? result with { AccessProofs = analysis.AccessProofs, KnownCallMaps = analysis.KnownCallMaps,
                HelperArgumentProofs = analysis.HelperArgumentProofs, StackBytesBound = analysis.StackBytesBound } : result;
    }
}
