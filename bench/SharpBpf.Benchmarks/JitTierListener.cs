using System.Diagnostics.Tracing;

namespace SharpBpf.Benchmarks;

/// <summary>
/// Counts the emitted BPF methods (<c>bpf_*</c> dynamic methods) the runtime compiled fully optimized and with MinOpts
/// (RyuJIT falls back to MinOpts for very large methods: fast to compile, slower code), from the runtime's
/// MethodLoadVerbose events (MethodFlags bits 7–9 hold the optimization tier).
/// </summary>
internal sealed class JitTierListener : EventListener
{
    private const int MethodLoadVerbose = 143;
    private const int MinOptJitted = 1;
    private int _optimized;
    private int _minOpts;

    public (int Optimized, int MinOpts) TakeCounts()
    {
        var counts = (Volatile.Read(ref _optimized), Volatile.Read(ref _minOpts));
        Interlocked.Exchange(ref _optimized, 0);
        Interlocked.Exchange(ref _minOpts, 0);
        return counts;
    }

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(source, EventLevel.Verbose, (EventKeywords)0x10);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (e.EventId != MethodLoadVerbose || e.Payload is null || e.PayloadNames is null)
        {
            return;
        }

        var name = e.Payload[e.PayloadNames.IndexOf("MethodName")] as string;
        if (name is null || !name.StartsWith("bpf_", StringComparison.Ordinal))
        {
            return;
        }

        var flags = Convert.ToUInt32(e.Payload[e.PayloadNames.IndexOf("MethodFlags")], System.Globalization.CultureInfo.InvariantCulture);
        if (((flags >> 7) & 7) == MinOptJitted)
        {
            Interlocked.Increment(ref _minOpts);
        }
        else
        {
            Interlocked.Increment(ref _optimized);
        }
    }
}
