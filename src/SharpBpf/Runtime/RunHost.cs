using SharpBpf.Helpers;
using SharpBpf.Runtime.Contexts;
using SharpBpf.Timers;

namespace SharpBpf.Runtime;

/// <summary>
/// The host state of one run (what helpers find as <see cref="HelperCallContext.HostState"/>): the program, its
/// object's services, and the packet of a packet program.
/// </summary>
internal sealed class RunHost(BpfProgram program, PacketContext? packet) : ITimerHelperHost
{
    public BpfProgram Program { get; } = program;

    public PacketContext? Packet { get; } = packet;

    public TimerService Timers => Program.Owner.Timers;

    public ITimerMap? TimerMapFor(ulong mapHandle) => Program.Owner.TimerBindingFor(mapHandle);

    public ITimerCallback? CallbackFor(ulong functionPointer) =>
        FunctionPointer.TryDecode(functionPointer, out var slot) && Program.IsFunctionEntry(slot)
            ? new ProgramTimerCallback(Program, slot)
            : null;
}
