using SharpBpf.Cli.Output;

namespace SharpBpf.Cli.Run;

/// <summary>
/// One loaded object in one world, SharpBpf's or the kernel's, driven by the steps of <c>sharpbpf run</c>. Both worlds
/// give the same shapes, so one command (and one differential test) can put them side by side.
/// </summary>
internal interface IRunSession : IDisposable
{
    string Engine { get; }
    IReadOnlyList<string> ProgramNames { get; }

    RunResult Run(string program, byte[] data, byte[] context, int repeat);
    void Advance(long nanoseconds);
    void Wait(long nanoseconds);

    /// <summary>Host update/delete; a kernel-style error becomes a <see cref="UsageException"/> naming the errno.</summary>
    void Update(string map, byte[] key, byte[] value);
    void Delete(string map, byte[] key);
    void ReleaseMaps();

    IReadOnlyDictionary<string, MapDump> DumpMaps();
    IReadOnlyList<TimerDump> Timers();
    IReadOnlyList<string> Trace();

    /// <summary>How entries print for people (as their BTF types where the object has them).</summary>
    MapEntryDisplay Display { get; }
}
