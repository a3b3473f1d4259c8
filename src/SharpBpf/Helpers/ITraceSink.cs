namespace SharpBpf.Helpers;

/// <summary>
/// Where bpf_trace_printk / bpf_trace_vprintk output goes (the kernel's trace pipe; the CLI prints it with
/// <c>--trace</c>). Called on the running program's thread, possibly from several threads at once.
/// </summary>
internal interface ITraceSink
{
    /// <summary>One formatted message exactly as the program produced it (usually ending in <c>\n</c>), without the trace pipe's prefix.</summary>
    void Write(string message);
}

/// <summary>A trace sink that keeps every message in memory (tests, <c>--json</c> output).</summary>
internal sealed class CollectingTraceSink : ITraceSink
{
    private readonly List<string> _messages = [];
    private readonly Lock _gate = new();

    public void Write(string message)
    {
        lock (_gate)
        {
            _messages.Add(message);
        }
    }

    public IReadOnlyList<string> Messages
    {
        get
        {
            lock (_gate)
            {
                return [.. _messages];
            }
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _messages.Clear();
        }
    }
}
