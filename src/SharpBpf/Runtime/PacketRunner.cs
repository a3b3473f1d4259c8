using SharpBpf.Execution;
using SharpBpf.Helpers;
using SharpBpf.Loader;
using SharpBpf.Maps;
using SharpBpf.Runtime.Contexts;
using System.Runtime.CompilerServices;

namespace SharpBpf.Runtime;

/// <summary>
/// Runs one XDP program over a stream of packets with one prepared context: the frame, the xdp_md and the run's
/// regions are made once and reset per packet, so a packet costs its copy and the program, nothing allocated. Each
/// <see cref="Run"/> is a test run of that packet (the same results as <see cref="BpfProgram.Run"/> without ctx_in).
/// Not thread-safe: one runner per thread (each runner is its own packet buffer).
/// </summary>
public sealed class PacketRunner : IDisposable
{
    private readonly BpfProgram _program;
    private readonly PacketContext _packet;
    private readonly RunContext _run;
    private bool _disposed;

    internal PacketRunner(BpfProgram program)
    {
        if (program.Type != ProgramType.Xdp)
        {
            throw new ArgumentException($"a packet runner runs XDP programs; '{program.Name}' is {program.Spec.TypeName}", nameof(program));
        }

        _program = program;
        _packet = PacketContext.ForXdp(new byte[ContextLayouts.EthernetHeaderSize], [], program.Name);
        _run = program.NewRunContext(new RunHost(program, _packet));
        _run.R1 = (ulong)_packet.ContextPointer;
        // After the object's global data: the context, then the packet.
        _packetRegionIndex = _run.Regions.Count + 1;
        _run.AddRegion(_packet.ContextPointer, _packet.ContextSize, MemoryAccess.ReadWrite, RegionKind.Context);
        _run.AddRegion(_packet.Data, _packet.DataEnd - _packet.Data, MemoryAccess.ReadWrite, RegionKind.Packet);
    }

    // The Packet region is the packet alone, not the frame: a checked access outside [data_meta, data_end) faults (the
    // verifier allows none), and the adjust helpers make a region of the span they move to (PacketHelpers), so no run
    // writes outside the span PacketContext tracks as touched, and the next reset clears only that.
    private readonly int _packetRegionIndex;

    /// <summary>Runs the program on <paramref name="packet"/> (an Ethernet frame) and returns its 32-bit return value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public uint Run(ReadOnlySpan<byte> packet)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _packet.ResetXdp(packet, _program.Name);
        var length = (ulong)(_packet.DataEnd - _packet.Data);
        _run.ReplaceRegion(_packetRegionIndex, new MemoryRegion((ulong)_packet.Data, length, MemoryAccess.ReadWrite, RegionKind.Packet));
        _run.Packet = new MemoryRegion((ulong)_packet.Data, length, MemoryAccess.Read, RegionKind.Packet);
        using var scope = EpochManager.Shared.EnterRun();
        return (uint)_program.Prepared.Run(_run);
    }

    /// <summary>The packet after the last run (after any adjust_head/tail), as data_out; valid until the next run.</summary>
    public ReadOnlySpan<byte> DataOut => _packet.Visible;

    /// <summary>Frees the runner's packet buffer.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _packet.Dispose();
    }
}
