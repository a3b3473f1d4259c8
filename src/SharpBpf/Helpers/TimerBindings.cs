using System.Runtime.CompilerServices;
using SharpBpf.Maps;
using SharpBpf.Timers;

namespace SharpBpf.Helpers;

/// <summary>
/// What the timer helpers (169–172) need from the runtime: the <see cref="TimerService"/> of its clock, the
/// <see cref="ITimerMap"/> view of a map whose values hold a <c>bpf_timer</c> (null when the map has none), and a
/// factory that turns (running program, callback slot) into the <see cref="ITimerCallback"/> that runs that
/// subprogram as <c>cb(map, key, value)</c>; the program is <see cref="HelperCallContext.Program"/> at the
/// bpf_timer_set_callback call. Set <see cref="HelperEnvironment.Timers"/> to have the built-in registry include them.
/// </summary>
internal sealed record TimerBindings(
    TimerService Service,
    Func<BpfMap, ITimerMap?> MapAdapter,
    Func<object, int, ITimerCallback> CallbackFactory)
{
    /// <summary>
    /// Bindings whose map adapter is <see cref="TimerMapAdapter"/>: one per map, created on first use, which also
    /// becomes the map's <see cref="BpfMap.ElementObserver"/> so deletes, updates, evictions and the user-reference
    /// drop free the element's timer.
    /// </summary>
    public static TimerBindings ForMaps(TimerService service, Func<object, int, ITimerCallback> callbackFactory)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(callbackFactory);
        var adapters = new ConditionalWeakTable<BpfMap, TimerMapAdapter>();
        return new TimerBindings(
            service,
            map => TimerMapAdapter.HasTimer(map) ? adapters.GetValue(map, m => TimerMapAdapter.Attach(m, service)) : null,
            callbackFactory);
    }
}
