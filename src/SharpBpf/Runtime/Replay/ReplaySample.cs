namespace SharpBpf.Runtime.Replay;

/// <summary>
/// The replay's state at one instant of capture time (nanoseconds since the first packet): cumulative packets and
/// verdicts (indexed as <see cref="XdpVerdicts.Names"/>), timers fired so far, timers armed and map entries then.
/// </summary>
public sealed record ReplaySample(long CaptureNs, long Packets, long[] Verdicts, long TimersFired, int TimersArmed, int[] MapEntries);
