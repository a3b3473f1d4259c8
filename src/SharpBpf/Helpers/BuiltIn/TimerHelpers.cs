using SharpBpf.Timers;

namespace SharpBpf.Helpers.BuiltIn;

/// <summary>
/// <c>bpf_timer_init</c> (169), <c>bpf_timer_set_callback</c> (170), <c>bpf_timer_start</c> (171) and
/// <c>bpf_timer_cancel</c> (172): argument plumbing only; every rule lives in <see cref="TimerService"/>. In checked
/// mode the timer pointer must be 16 writable bytes of memory the run may use (a map value), or the run faults.
/// </summary>
public static class TimerHelpers
{
    public const int Init = 169, SetCallback = 170, Start = 171, Cancel = 172;

    public static HelperRegistry RegisterTimerHelpers(this HelperRegistry registry) => registry
        .Replace(Init, "bpf_timer_init", InitTimer)
        .Replace(SetCallback, "bpf_timer_set_callback", SetTimerCallback)
        .Replace(Start, "bpf_timer_start", StartTimer)
        .Replace(Cancel, "bpf_timer_cancel", CancelTimer);

    private static ulong InitTimer(HelperCallContext context, ulong timer, ulong map, ulong flags, ulong r4, ulong r5)
    {
        var host = Host(context);
        var slot = TimerSlot(context, timer);
        var timerMap = host.TimerMapFor(map);
        if (timerMap is null)
        {
            context.Fault($"bpf_timer_init: r2 (0x{map:x}) is not a map that holds a bpf_timer");
        }

        return (ulong)host.Timers.Init(slot, timerMap, flags);
    }

    private static ulong SetTimerCallback(HelperCallContext context, ulong timer, ulong function, ulong r3, ulong r4, ulong r5)
    {
        var host = Host(context);
        var slot = TimerSlot(context, timer);
        var callback = host.CallbackFor(function);
        if (callback is null)
        {
            context.Fault($"bpf_timer_set_callback: r2 (0x{function:x}) is not a function of this program");
        }

        return (ulong)host.Timers.SetCallback(slot, callback);
    }

    private static ulong StartTimer(HelperCallContext context, ulong timer, ulong nsecs, ulong flags, ulong r4, ulong r5) =>
        (ulong)Host(context).Timers.Start(TimerSlot(context, timer), nsecs, flags);

    private static ulong CancelTimer(HelperCallContext context, ulong timer, ulong r2, ulong r3, ulong r4, ulong r5) =>
        (ulong)Host(context).Timers.Cancel(TimerSlot(context, timer));

    private static ITimerHelperHost Host(HelperCallContext context)
    {
        if (context.HostState is not ITimerHelperHost host)
        {
            context.Fault("bpf_timer_* needs a runtime that provides timers");
            return null!;
        }

        return host;
    }

    private static nint TimerSlot(HelperCallContext context, ulong timer)
    {
        // Validates the 16 bytes in checked mode; the span itself is not used, the timer service owns the slot.
        _ = context.GetMemory(timer, 16, MemoryAccess.ReadWrite);
        return (nint)timer;
    }
}
