using SharpBpf.Helpers;
using SharpBpf.Isa;
using SharpBpf.Loader;
using SharpBpf.Verifier;

namespace SharpBpf.Runtime;

/// <summary>
/// Refuses, at load, a program that calls a helper Linux offers but SharpBpf does not implement (and the host did
/// not register): the program would otherwise load and fault at the call. The verifier's own rules (unknown id,
/// "program of this type cannot use helper") come first; this is the check after them.
/// </summary>
internal static class UnimplementedHelpers
{
    public static VerificationResult? Check(ProgramSpec program, HelperRegistry helpers)
    {
        var code = program.Instructions;
        for (var slot = 0; slot < code.Length; slot++)
        {
            var insn = code[slot];
            if (insn.IsLoadImm64)
            {
                slot++;
                continue;
            }

            if (insn.Opcode != Opcodes.Call || insn.Src != (byte)CallSource.Helper) continue;
            if (HelperTable.TryGet(insn.Immediate, out var info) && !helpers.TryGet(insn.Immediate, out _))
            {
                var message = $"helper {info.KernelName}#{insn.Immediate} is offered by Linux but not implemented by SharpBpf";
                return new VerificationResult(program.Name, false, message, slot, $"{slot}: {message}\n");
            }
        }

        return null;
    }
}
