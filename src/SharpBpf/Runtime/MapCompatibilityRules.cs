using SharpBpf.Btf;
using SharpBpf.Loader;
using SharpBpf.Verifier;

namespace SharpBpf.Runtime;

/// <summary>
/// The kernel's check_map_prog_compatibility: before the walk, every map a program references is checked against
/// the program's type, in slot order (a bpf_spin_lock in a socket filter or tracing program, a bpf_timer in a
/// tracing program; spec R46). The kernel's log names no instruction; SharpBpf reports the referencing slot.
/// The first problem comes back as a <see cref="Rejection"/> (null when there is none).
/// </summary>
internal static class MapCompatibilityRules
{
    // The kernel's is_tracing_prog_type: BPF_PROG_TYPE_KPROBE, TRACEPOINT, PERF_EVENT, RAW_TRACEPOINT(_WRITABLE).
    private static readonly HashSet<ProgramType> Tracing =
    [
        ProgramType.Kprobe, ProgramType.Tracepoint, ProgramType.PerfEvent, ProgramType.RawTracepoint, ProgramType.RawTracepointWritable,
    ];

    // The kernel's license_is_gpl_compatible().
    private static readonly HashSet<string> GplCompatible = new(StringComparer.Ordinal)
    {
        "GPL", "GPL v2", "GPL and additional rights", "Dual BSD/GPL", "Dual MIT/GPL", "Dual MPL/GPL",
    };

    public static bool IsGplCompatible(string? license) => GplCompatible.Contains(license ?? "");

    public static Rejection? Check(ProgramSpec program, CollectionSpec collection)
    {
        foreach (var reference in program.MapReferences)
        {
            var fields = collection.Maps[reference.MapIndex].SpecialFields;
            if (fields.Has(SpecialFieldKind.SpinLock))
            {
                if (program.Type == ProgramType.SocketFilter)
                {
                    return new Rejection(reference.Slot, "socket filter progs cannot use bpf_spin_lock yet");
                }

                if (Tracing.Contains(program.Type))
                {
                    return new Rejection(reference.Slot, "tracing progs cannot use bpf_spin_lock yet");
                }
            }

            if (fields.Has(SpecialFieldKind.Timer) && Tracing.Contains(program.Type))
            {
                return new Rejection(reference.Slot, "tracing progs cannot use bpf_timer yet");
            }
        }

        return null;
    }
}
