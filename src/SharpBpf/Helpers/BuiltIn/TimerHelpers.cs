using SharpBpf.Timers;
using System.Runtime.CompilerServices;

namespace SharpBpf.Helpers.BuiltIn;

/// <summary>
/// bpf_timer_init / set_callback / start / cancel (169–172): argument checks and resolution here, the timer semantics
/// in <see cref="TimerService"/>. Registered only when the environment has <see cref="HelperEnvironment.Timers"/>.
/// </summary>
internal sealed class TimerHelpers(HelperEnvironment environment, TimerBindings timers)
{
    /// <summary>sizeof(struct bpf_timer).</summary>
    public const int TimerSize = 16;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ulong Init(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        context.GetMemory(r1, TimerSize, MemoryAccess.ReadWrite);
        var map = HelperErrors.Map(context, environment, r2, "bpf_timer_init");
        var timerMap = timers.MapAdapter(map);
        if (timerMap is null)
        {
            context.Fault($"bpf_timer_init: map '{map.Name}' has no bpf_timer in its value");
        }

        return (ulong)timers.Service.Init((nint)r1, timerMap, r3);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ulong SetCallback(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        context.GetMemory(r1, TimerSize, MemoryAccess.ReadWrite);
        if (!FunctionPointer.TryDecode(r2, out var slot))
        {
            context.Fault($"bpf_timer_set_callback: 0x{r2:x} is not a function of the program");
        }

        return (ulong)timers.Service.SetCallback((nint)r1, timers.CallbackFactory(context.Program, slot));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ulong Start(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        context.GetMemory(r1, TimerSize, MemoryAccess.ReadWrite);
        return (ulong)timers.Service.Start((nint)r1, r2, r3);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ulong Cancel(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        context.GetMemory(r1, TimerSize, MemoryAccess.ReadWrite);
        return (ulong)timers.Service.Cancel((nint)r1);
    }
}
