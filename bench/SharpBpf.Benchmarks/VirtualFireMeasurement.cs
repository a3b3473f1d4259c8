using System.Diagnostics;

namespace SharpBpf.Benchmarks;

/// <summary>
/// Stopwatch figures for virtual-time firing (the <c>virtual</c> mode): fires per second with 1, 1,000 and 1,000,000
/// armed periodic timers (each callback re-arms its own timer), and 1,000 / 1,000,000 one-shot timers fired by one big
/// advance, their deadlines in arming order or scattered. BenchmarkDotNet's <see cref="TimerFireBenchmarks"/> measures the same loops.
/// </summary>
internal static class VirtualFireMeasurement
{
    /// <param name="Seconds">Wall-clock time.</param>
    /// <param name="CpuSeconds">The measuring thread's CPU time: on a loaded machine the fairer figure.</param>
    public sealed record Result(string Name, long Fires, double Seconds, double CpuSeconds)
    {
        public double FiresPerSecond => Fires / Seconds;
        public double FiresPerCpuSecond => Fires / CpuSeconds;
        public double NanosecondsPerFire => Seconds * 1e9 / Fires;
    }

    public static IReadOnlyList<Result> Run(TextWriter output)
    {
        var results = new List<Result>();
        foreach (var armed in new[] { 1, 1_000, 1_000_000 })
        {
            results.Add(Periodic(armed, fires: armed == 1_000_000 ? 3_000_000 : 5_000_000));
            Report(output, results[^1]);
        }

        foreach (var scattered in new[] { false, true })
        {
            foreach (var armed in new[] { 1_000, 1_000_000 })
            {
                results.Add(OneShot(armed, rounds: armed == 1_000 ? 2_000 : 3, scattered));
                Report(output, results[^1]);
            }
        }

        return results;
    }

    private static void Report(TextWriter output, Result r) =>
        output.WriteLine($"  {r.Name,-46} {r.FiresPerSecond / 1e6,8:F2} M fires/s wall  {r.FiresPerCpuSecond / 1e6,8:F2} M fires/s CPU  {r.NanosecondsPerFire,7:F1} ns/fire wall");

    /// <summary>Steady state: <paramref name="armed"/> timers of period armed x 1 µs, one fire per virtual µs.</summary>
    public static Result Periodic(int armed, long fires)
    {
        const long spacing = 1_000;
        using var bench = new VirtualTimerBench(armed, armed * spacing);
        bench.ArmStaggered(spacing);
        bench.Clock.Advance(Math.Min(fires / 10, 200_000) * spacing); // warm-up: JIT tiers, caches
        var cpu = ThreadCpu.Now();
        var stopwatch = Stopwatch.StartNew();
        var fired = bench.Clock.Advance(fires * spacing);
        stopwatch.Stop();
        var cpuSeconds = (ThreadCpu.Now() - cpu) / 1e9;
        if (fired != fires)
        {
            throw new InvalidOperationException($"expected {fires} fires, got {fired}");
        }

        return new Result($"periodic, {armed:N0} armed", fired, stopwatch.Elapsed.TotalSeconds, cpuSeconds);
    }

    /// <summary><paramref name="armed"/> one-shot timers, all fired by one advance; the arming is not timed. In order:
    /// deadlines 1 µs apart in arming order; scattered: a fixed permutation of them, so every fire touches a random
    /// timer (the worst case for caches).</summary>
    public static Result OneShot(int armed, int rounds, bool scattered)
    {
        using var bench = new VirtualTimerBench(armed, period: 0);
        long fires = 0;
        var elapsed = TimeSpan.Zero;
        long cpuNs = 0;
        for (var round = -1; round < rounds; round++)
        {
            long span;
            if (scattered)
            {
                span = bench.ArmScattered(armed * 1_000L);
            }
            else
            {
                bench.ArmStaggered(1_000);
                span = armed * 1_000L;
            }

            var cpu = ThreadCpu.Now();
            var stopwatch = Stopwatch.StartNew();
            var fired = bench.Clock.Advance(span);
            stopwatch.Stop();
            cpu = ThreadCpu.Now() - cpu;
            if (fired != armed)
            {
                throw new InvalidOperationException($"expected {armed} fires, got {fired}");
            }

            if (round >= 0) // round -1 warms up
            {
                fires += fired;
                elapsed += stopwatch.Elapsed;
                cpuNs += cpu;
            }
        }

        return new Result($"one advance, {armed:N0} one-shot, {(scattered ? "scattered" : "in order")}", fires, elapsed.TotalSeconds, cpuNs / 1e9);
    }
}

/// <summary>The calling thread's CPU time in ns (CLOCK_THREAD_CPUTIME_ID).</summary>
internal static class ThreadCpu
{
    public static long Now() => SharpBpf.Time.SystemClock.Instance.GetTime(SharpBpf.Time.ClockId.ThreadCpuTime);
}
