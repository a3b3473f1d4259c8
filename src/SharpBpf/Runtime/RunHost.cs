using SharpBpf.Helpers;
using SharpBpf.Runtime.Contexts;

namespace SharpBpf.Runtime;

/// <summary>
/// The host state of one run (what helpers find as <see cref="HelperCallContext.HostState"/>): the program, and the
/// packet of a packet program for the packet helpers.
/// </summary>
internal sealed class RunHost(BpfProgram program, PacketContext? packet) : IPacketContextProvider
{
    public BpfProgram Program { get; } = program;

    public IPacketContext? PacketContext => packet;
}
