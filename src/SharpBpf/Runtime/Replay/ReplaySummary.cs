namespace SharpBpf.Runtime.Replay;

/// <summary>
/// What a replay did, also when it stopped early: <see cref="Error"/> is then the reason (a capture record that
/// cannot be read, a program fault) and the counts cover the packets replayed before it.
/// </summary>
public sealed record ReplaySummary
{
    public required string Program { get; init; }
    public required bool VirtualTime { get; init; }
    public long Packets { get; init; }
    public long Bytes { get; init; }
    public required IReadOnlyList<long> Verdicts { get; init; }
    public long TimersFired { get; init; }
    public int TimersArmedAtEnd { get; init; }

    /// <summary>Capture time from the first packet to the last (plus the drain).</summary>
    public long CaptureNs { get; init; }

    /// <summary>Real time the replay took (loading excluded).</summary>
    public long ElapsedNs { get; init; }

    public long PacketsWritten { get; init; }

    /// <summary>The maps whose entry counts <see cref="ReplaySample.MapEntries"/> follows, in that order.</summary>
    public required IReadOnlyList<string> SampledMaps { get; init; }

    public required IReadOnlyList<ReplaySample> Samples { get; init; }

    /// <summary>Why the replay stopped before the end of the capture, or null.</summary>
    public Exception? Error { get; init; }

    public double PacketsPerSecond => ElapsedNs > 0 ? Packets * 1e9 / ElapsedNs : 0;
}
