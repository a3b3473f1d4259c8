using System.Collections.Frozen;
using System.Collections.Immutable;
using SharpBpf.Asm;
using SpecialField = SharpBpf.Btf.SpecialField;
using SpecialFieldKind = SharpBpf.Btf.SpecialFieldKind;
using SharpBpf.Helpers.BuiltIn;
using SharpBpf.Isa;
using SharpBpf.Maps;
using SharpBpf.Runtime;
using SharpBpf.Verifier;

namespace SharpBpf.Tests.Verifier;

/// <summary>
/// Verifies hand-written programs: a main function and callbacks/subprograms in assembler syntax, appended in
/// order. <c>lddw %rN, func K</c> and <c>call local K</c> name the K-th extra function (1-based); <c>map_fd N</c>
/// names the N-th map given.
/// </summary>
internal static class VerifierHarness
{
    public static readonly VerifierMap TimerMap = new("timers", MapType.Hash, 4, 24, [new SpecialField(SpecialFieldKind.Timer, 8, 16)]);
    public static readonly VerifierMap OtherTimerMap = new("other", MapType.Array, 4, 24, [new SpecialField(SpecialFieldKind.Timer, 8, 16)]);
    public static readonly VerifierMap PlainMap = new("plain", MapType.Hash, 4, 24, []);

    private static readonly FrozenDictionary<int, SharpBpf.Helpers.HelperSignature> Signatures =
        ObjectVerifier.SignaturesOf(null);

    public static VerificationResult Verify(string main, params string[] functions) =>
        Verify(main, functions, [TimerMap, OtherTimerMap, PlainMap]);

    public static VerificationResult Verify(string main, string[] functions, VerifierMap[] maps,
        bool staticFunctions = true, bool funcInfo = true, VerifierOptions? options = null, ContextLayout? context = null,
        Func<VerifierInput, VerifierInput>? adjust = null)
    {
        var parts = new[] { main }.Concat(functions).Select(Assembler.Assemble).ToArray();
        var starts = new int[parts.Length];
        for (var i = 1; i < parts.Length; i++)
        {
            starts[i] = starts[i - 1] + parts[i - 1].Length;
        }

        var code = parts.SelectMany(p => p).ToArray();
        var references = new Dictionary<int, VerifierMapReference>();
        for (var pc = 0; pc < code.Length; pc++)
        {
            var insn = code[pc];
            if (insn.IsLoadImm64 && insn.Src == (byte)LoadImm64Source.MapFd)
            {
                references[pc] = new VerifierMapReference(maps[insn.Immediate], false, 0);
            }
            else if (insn.IsLoadImm64 && insn.Src == (byte)LoadImm64Source.Function)
            {
                code[pc] = insn.WithImmediate(starts[insn.Immediate] - (pc + 1));
            }
            else if (insn.Opcode == Opcodes.Call && insn.Src == (byte)CallSource.Local)
            {
                code[pc] = insn.WithImmediate(starts[insn.Immediate] - (pc + 1));
            }

            if (insn.IsLoadImm64)
            {
                pc++;
            }
        }

        var input = new VerifierInput
        {
            ProgramName = "test",
            Instructions = [.. code],
            Functions = [.. starts.Select((s, i) => new VerifierFunction(i == 0 ? "main" : $"f{i}", s, i > 0 && staticFunctions))],
            MapReferences = references.ToFrozenDictionary(),
            Context = context ?? new ContextLayout(24, 0, 4, 8),
            Helpers = Signatures,
            HasFuncInfo = funcInfo,
        };
        return ProgramVerifier.Verify(adjust is null ? input : adjust(input), options);
    }

    /// <summary>Verifies raw instructions (for encodings the assembler will not write: reserved fields, unknown opcodes).</summary>
    public static VerificationResult VerifyRaw(params Instruction[] code) => ProgramVerifier.Verify(new VerifierInput
    {
        ProgramName = "raw",
        Instructions = [.. code],
        Functions = [new VerifierFunction("main", 0, false)],
        Helpers = Signatures,
    });

    /// <summary>Looks up key 0 of map 0 (the timer map) into r6, leaving the program if it is missing.</summary>
    public const string LookupIntoR6 = """
        stw [%r10-4], 0
        mov %r2, %r10
        add %r2, -4
        lddw %r1, map_fd 0
        call 1
        jne %r0, 0, +2
        mov %r0, 0
        exit
        mov %r6, %r0
        """;

    public const string ReturnZero = """
        mov %r0, 0
        exit
        """;
}
