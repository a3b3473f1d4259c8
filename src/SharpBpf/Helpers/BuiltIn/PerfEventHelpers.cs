using SharpBpf.Maps;

namespace SharpBpf.Helpers.BuiltIn;

/// <summary>
/// bpf_perf_event_output(ctx, map, flags, data, size) over <see cref="PerfEventArrayMap"/>. The low 32 bits of the
/// flags pick the slot (BPF_F_CURRENT_CPU: the run's CPU); for XDP and tc programs bits 32–51 (BPF_F_CTXLEN_MASK)
/// ask for that many packet bytes after the data, -EFAULT when the packet is shorter. Any other flag bit, or a
/// packet length from a program without a packet, is -EINVAL.
/// </summary>
internal sealed class PerfEventHelpers(HelperEnvironment environment)
{
    private const ulong IndexMask = 0xFFFF_FFFFUL;
    private const ulong PacketLengthMask = 0xFFFFFUL << 32;

    public unsafe ulong Output(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        if (HelperErrors.Map(context, environment, r2, "bpf_perf_event_output") is not PerfEventArrayMap map)
        {
            context.Fault("bpf_perf_event_output: the map is not a perf_event_array");
            return 0;
        }

        var sample = context.GetArgumentMemory(4, r4, r5, MemoryAccess.Read);
        var packet = context.HostState switch
        {
            IPacketContext direct => direct,
            IPacketContextProvider provider => provider.PacketContext,
            _ => null,
        };
        var allowed = packet is null ? IndexMask : IndexMask | PacketLengthMask;
        if ((r3 & ~allowed) != 0)
        {
            return (ulong)Errno.EINVAL.ToHelperResult();
        }

        var packetLength = (long)((r3 & PacketLengthMask) >> 32);
        ReadOnlySpan<byte> packetBytes = default;
        if (packet is not null && packetLength > 0)
        {
            if (packetLength > packet.DataEnd - packet.Data)
            {
                return (ulong)Errno.EFAULT.ToHelperResult();
            }

            packetBytes = new ReadOnlySpan<byte>((void*)packet.Data, (int)packetLength);
        }

        return (ulong)map.Output((uint)(r3 & IndexMask), sample, packetBytes).ToHelperResult();
    }
}
