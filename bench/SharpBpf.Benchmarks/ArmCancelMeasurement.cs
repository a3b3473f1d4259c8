using System.Diagnostics;
using SharpBpf.Time;
using SharpBpf.Timers;

namespace SharpBpf.Benchmarks;

/// <summary>
/// One arm+cancel as a BPF program does it: <c>bpf_timer_set_callback</c> + <c>bpf_timer_start(1 s)</c> +
/// <c>bpf_timer_cancel</c> (cancel unregisters the callback, spec R17, so it is registered again each time), straight
/// on <see cref="TimerService"/> with the benchmark's fake map; optionally with other timers armed in the same queue.
/// </summary>
internal sealed class ArmCancelLoop : IDisposable
{
    private readonly VirtualTimerBench _bench;
    private readonly nint _timer;

    public ArmCancelLoop(int otherArmed = 0)
    {
        _bench = new VirtualTimerBench(otherArmed + 1, period: 0);
        for (var i = 1; i <= otherArmed; i++)
        {
            VirtualTimerBench.Check(_bench.Service.Start(_bench.Map.Timer(i), (ulong)(2_000_000_000L + i), 0), "start");
        }

        _timer = _bench.Map.Timer(0);
    }

    public long Once()
    {
        var service = _bench.Service;
        service.SetCallback(_timer, _bench.Callback);
        service.Start(_timer, 1_000_000_000, 0);
        return service.Cancel(_timer);
    }

    public void Dispose() => _bench.Dispose();
}

internal static class ArmCancelMeasurement
{
    public sealed record Result(double NanosecondsPerOp, double CpuNanosecondsPerOp);

    public static Result Run(int operations = 2_000_000, int otherArmed = 0)
    {
        using var loop = new ArmCancelLoop(otherArmed);
        for (var i = 0; i < 200_000; i++)
        {
            loop.Once(); // warm-up: JIT tiers
        }

        var cpu = ThreadCpu.Now();
        var stopwatch = Stopwatch.StartNew();
        long armed = 0;
        for (var i = 0; i < operations; i++)
        {
            armed += loop.Once();
        }

        stopwatch.Stop();
        cpu = ThreadCpu.Now() - cpu;
        if (armed != operations)
        {
            throw new InvalidOperationException($"{operations - armed} cancels did not find the timer armed");
        }

        return new Result(stopwatch.Elapsed.TotalNanoseconds / operations, (double)cpu / operations);
    }
}
