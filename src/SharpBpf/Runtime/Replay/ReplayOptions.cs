using SharpBpf.Capture;

namespace SharpBpf.Runtime.Replay;

/// <summary>How <see cref="CaptureReplay"/> puts a capture through a program.</summary>
public sealed record ReplayOptions
{
    /// <summary>On a real clock, how much faster than the capture to pace the packets (2 = twice as fast).</summary>
    public double Speed { get; init; } = 1;

    /// <summary>Time let pass after the last packet (virtual: an advance; real: a wait), firing what falls due.</summary>
    public TimeSpan Drain { get; init; }

    /// <summary>Where the packets the program passed or transmitted go (XDP_PASS, XDP_TX), with their timestamps.</summary>
    public PcapWriter? Output { get; init; }

    /// <summary>Called on the replaying thread about every <see cref="ProgressInterval"/> of real time, and at the end.</summary>
    public Action<ReplayProgress>? Progress { get; init; }

    /// <summary>How often, in real time, <see cref="Progress"/> is called.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>At most this many samples of the replay over capture time are kept (for a picture of it).</summary>
    public int MaxSamples { get; init; } = 2048;

    /// <summary>Stops the replay between packets; the summary then covers what was replayed.</summary>
    public CancellationToken Cancellation { get; init; }
}
