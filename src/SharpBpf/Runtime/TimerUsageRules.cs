using SharpBpf.Isa;
using SharpBpf.Loader;
using SharpBpf.Verifier;

namespace SharpBpf.Runtime;

/// <summary>
/// The kernel verifier's timer rules that need no value tracking, checked when an object loads (spec R9, R46).
/// The rules about pointers and callbacks (R37–R45) need the verifier's abstract interpretation and are not
/// enforced yet; checked mode still contains whatever such a program does.
/// </summary>
internal static class TimerUsageRules
{
    private const int FirstTimerHelper = 169, LastTimerHelper = 172;

    // The kernel's license_is_gpl_compatible().
    private static readonly HashSet<string> GplCompatible = new(StringComparer.Ordinal)
    {
        "GPL", "GPL v2", "GPL and additional rights", "Dual BSD/GPL", "Dual MIT/GPL", "Dual MPL/GPL",
    };

    // BPF_PROG_TYPE_KPROBE, TRACEPOINT, PERF_EVENT, RAW_TRACEPOINT, RAW_TRACEPOINT_WRITABLE.
    private static readonly HashSet<ProgramType> Tracing =
    [
        (ProgramType)2, (ProgramType)5, (ProgramType)7, (ProgramType)17, (ProgramType)24,
    ];

    public static void Check(ProgramSpec program, CollectionSpec collection)
    {
        if (Tracing.Contains(program.Type))
        {
            foreach (var reference in program.MapReferences)
            {
                if (collection.Maps[reference.MapIndex].SpecialFields.TimerOffset is not null)
                {
                    throw new VerificationException(program.Name, reference.Slot, "tracing progs cannot use bpf_timer yet");
                }
            }
        }

        if (GplCompatible.Contains(program.License ?? collection.License ?? ""))
        {
            return;
        }

        var code = program.Instructions;
        for (var pc = 0; pc < code.Length; pc++)
        {
            var insn = code[pc];
            if (insn.Opcode == Opcodes.Call && insn.Src == (byte)CallSource.Helper
                && insn.Immediate is >= FirstTimerHelper and <= LastTimerHelper)
            {
                throw new VerificationException(program.Name, pc, "cannot call GPL-restricted function from non-GPL compatible program");
            }

            if (insn.IsLoadImm64)
            {
                pc++;
            }
        }
    }
}
