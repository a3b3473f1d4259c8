using SharpBpf.Helpers;
using SharpBpf.Timers;

namespace SharpBpf.Runtime;

/// <summary>A timer callback: the subprogram at <see cref="Slot"/> of the program that called <c>bpf_timer_set_callback</c>.</summary>
internal sealed class ProgramTimerCallback(BpfProgram program, int slot) : ITimerCallback
{
    public int Slot { get; } = slot;

    public ITimerProgram? Program => program;

    public string Name => $"{program.Name}/{program.FunctionNameAt(Slot)}";

    public long Invoke(ITimerMap map, nint key, nint value) =>
        (long)program.RunCallback(Slot, ((TimerMapAdapter)map).Map, key, value);
}
