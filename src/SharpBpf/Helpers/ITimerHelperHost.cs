using SharpBpf.Timers;

namespace SharpBpf.Helpers;

/// <summary>
/// What the timer helpers (169–172) need from the run that calls them, found as the run's
/// <see cref="HelperCallContext.HostState"/>: the runtime's timer service, the timer view of a map a program
/// holds, and a callback bound to the calling program.
/// </summary>
public interface ITimerHelperHost
{
    TimerService Timers { get; }

    /// <summary>The map behind a map value in a register (what <c>lddw map_fd</c> loaded), or null.</summary>
    ITimerMap? TimerMapFor(ulong mapHandle);

    /// <summary>A callback that runs the calling program's subprogram at <paramref name="functionPointer"/>, or null when the value is not one.</summary>
    ITimerCallback? CallbackFor(ulong functionPointer);
}
