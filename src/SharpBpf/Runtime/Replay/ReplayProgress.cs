namespace SharpBpf.Runtime.Replay;

/// <summary>Where a replay stands: what a live view shows.</summary>
public sealed record ReplayProgress(
    long Packets,
    long Bytes,
    long CapturePosition,
    IReadOnlyList<long> Verdicts,
    long TimersFired,
    int TimersArmed,
    IReadOnlyDictionary<string, int> MapEntries,
    TimeSpan Elapsed);
