namespace SharpBpf.Runtime.Replay;

/// <summary>
/// What a replay did, also when it stopped early: <see cref="Error"/> is then the reason (a capture record that
/// cannot be read, a program fault) and the counts cover the packets replayed before it.
/// </summary>
public sealed record ReplaySummary
{
    /// <summary>The program the capture went through.</summary>
    public required string Program { get; init; }
    /// <summary>True when the capture drove a virtual clock; false when the replay was paced in real time.</summary>
    public required bool VirtualTime { get; init; }
    /// <summary>Packets replayed.</summary>
    public long Packets { get; init; }
    /// <summary>Bytes of the packets replayed.</summary>
    public long Bytes { get; init; }
    /// <summary>Packets per XDP action, indexed as <see cref="XdpVerdicts.Names"/>.</summary>
    public required IReadOnlyList<long> Verdicts { get; init; }
    /// <summary>Timer callbacks that ran during the replay.</summary>
    public long TimersFired { get; init; }
    /// <summary>Timers still armed when the replay ended.</summary>
    public int TimersArmedAtEnd { get; init; }

    /// <summary>Capture time from the first packet to the last (plus the drain).</summary>
    public long CaptureNs { get; init; }

    /// <summary>Real time the replay took (loading excluded).</summary>
    public long ElapsedNs { get; init; }

    /// <summary>Packets written to <see cref="ReplayOptions.Output"/>.</summary>
    public long PacketsWritten { get; init; }

    /// <summary>The maps whose entry counts <see cref="ReplaySample.MapEntries"/> follows, in that order.</summary>
    public required IReadOnlyList<string> SampledMaps { get; init; }

    /// <summary>The replay sampled over capture time (at most <see cref="ReplayOptions.MaxSamples"/>).</summary>
    public required IReadOnlyList<ReplaySample> Samples { get; init; }

    /// <summary>Why the replay stopped before the end of the capture, or null.</summary>
    public Exception? Error { get; init; }

    /// <summary>Packets per second of real time.</summary>
    public double PacketsPerSecond => ElapsedNs > 0 ? Packets * 1e9 / ElapsedNs : 0;
}
