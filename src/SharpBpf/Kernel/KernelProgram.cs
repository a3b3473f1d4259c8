using SharpBpf.Maps;
using SharpBpf.Kernel.Internal;

namespace SharpBpf.Kernel;

/// <summary>
/// A program of a <see cref="KernelObject"/>, loaded and verified by the kernel, run through
/// BPF_PROG_TEST_RUN. It does not attach anywhere: test runs are the only way this engine executes code.
/// </summary>
internal sealed unsafe class KernelProgram
{
    internal const int ProgramTypeRawTracepoint = 17;
    internal const int ProgramTypeRawTracepointWritable = 24;
    internal const int ProgramTypeTracing = 26;
    internal const int ProgramTypeSyscall = 31;

    /// <summary>Room for the packet to grow beyond its input size (XDP tail growth is bounded by one page).</summary>
    private const int DataOutSlack = 64 * 1024;

    /// <summary>Room for a context output (the largest, <c>struct __sk_buff</c>, is under 200 bytes).</summary>
    private const int ContextOutCapacity = 4096;

    private readonly KernelObject _owner;

    internal KernelProgram(KernelObject owner, string name, string sectionName, int programType, string typeName, int fd)
    {
        _owner = owner;
        Name = name;
        SectionName = sectionName;
        ProgramType = programType;
        TypeName = typeName;
        Fd = fd;
    }

    public string Name { get; }

    public string SectionName { get; }

    /// <summary>The kernel's <c>enum bpf_prog_type</c> value.</summary>
    public int ProgramType { get; }

    /// <summary>The kernel's type name in lowercase: "xdp", "sched_cls", "socket_filter", "syscall".</summary>
    public string TypeName { get; }

    /// <summary>libbpf's fd while the object is open; after <see cref="KernelObject.ReleaseMaps"/> a dup of it.</summary>
    internal int Fd { get; set; }

    /// <summary>
    /// Runs the program in the kernel: <paramref name="dataIn"/> is the packet (XDP, tc, socket filter need at
    /// least 14 bytes), <paramref name="contextIn"/> the context (<c>struct xdp_md</c>, <c>struct __sk_buff</c>,
    /// or a raw context for syscall and raw tracepoint programs). With <paramref name="repeat"/> &gt; 1 packet
    /// programs run N times on the same buffer inside the kernel; program types whose test run takes no repeat
    /// count (syscall, raw tracepoint, tracing) are run N times by this method, one syscall each.
    /// A refused run (bad sizes, wrong input for the type) throws <see cref="KernelCallException"/>.
    /// </summary>
    public KernelRunResult Run(ReadOnlySpan<byte> dataIn = default, ReadOnlySpan<byte> contextIn = default, int repeat = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(repeat, 1);
        _owner.ThrowIfDisposed();
        return TakesRepeatCount ? RunPacket(dataIn, contextIn, repeat) : RunContextOnly(dataIn, contextIn, repeat);
    }

    public override string ToString() => $"{Name} ({TypeName}, section '{SectionName}')";

    private bool TakesRepeatCount => ProgramType is not (ProgramTypeSyscall or ProgramTypeRawTracepoint
        or ProgramTypeRawTracepointWritable or ProgramTypeTracing);

    private KernelRunResult RunPacket(ReadOnlySpan<byte> dataIn, ReadOnlySpan<byte> contextIn, int repeat)
    {
        int dataCapacity = dataIn.IsEmpty ? 0 : dataIn.Length + DataOutSlack;
        int contextCapacity = contextIn.IsEmpty ? 0 : Math.Max(contextIn.Length, ContextOutCapacity);
        // A first run that reports ENOSPC has run the program; the retry runs it again (its map side effects
        // happen twice). The capacities above make that practically unreachable.
        for (int attempt = 0; ; attempt++)
        {
            byte[] dataOut = new byte[dataCapacity];
            byte[] contextOut = new byte[contextCapacity];
            BpfTestRunOptions options = default;
            int result;
            fixed (byte* dataInPointer = dataIn)
            fixed (byte* contextInPointer = contextIn)
            fixed (byte* dataOutPointer = dataOut)
            fixed (byte* contextOutPointer = contextOut)
            {
                options.Size = (nuint)BpfTestRunOptions.StructSize;
                if (!dataIn.IsEmpty)
                {
                    options.DataIn = (nint)dataInPointer;
                    options.DataSizeIn = (uint)dataIn.Length;
                    options.DataOut = (nint)dataOutPointer;
                    options.DataSizeOut = (uint)dataOut.Length;
                }
                if (!contextIn.IsEmpty)
                {
                    options.ContextIn = (nint)contextInPointer;
                    options.ContextSizeIn = (uint)contextIn.Length;
                    options.ContextOut = (nint)contextOutPointer;
                    options.ContextSizeOut = (uint)contextOut.Length;
                }
                options.Repeat = repeat;
                result = LibBpf.ProgramTestRun(Fd, &options);
            }

            if (ErrnoText.Of(result) == Errno.ENOSPC && attempt < 2)
            {
                dataCapacity = Math.Max(dataCapacity, (int)options.DataSizeOut);
                contextCapacity = Math.Max(contextCapacity, (int)options.ContextSizeOut);
                continue;
            }
            if (result != 0) throw new KernelCallException($"BPF_PROG_TEST_RUN of '{Name}'", result);

            byte[] data = dataIn.IsEmpty ? [] : dataOut[..(int)Math.Min(options.DataSizeOut, (uint)dataOut.Length)];
            byte[] context = contextIn.IsEmpty ? [] : contextOut[..(int)Math.Min(options.ContextSizeOut, (uint)contextOut.Length)];
            return new KernelRunResult(options.ReturnValue, data, context, options.Duration);
        }
    }

    private KernelRunResult RunContextOnly(ReadOnlySpan<byte> dataIn, ReadOnlySpan<byte> contextIn, int repeat)
    {
        if (!dataIn.IsEmpty)
            throw new ArgumentException($"program '{Name}' ({TypeName}) takes no packet, only a context", nameof(dataIn));
        // The syscall program type writes the context back into the *input* buffer, so it gets a private copy.
        byte[] context = contextIn.ToArray();
        uint returnValue = 0;
        for (int run = 0; run < repeat; run++)
        {
            BpfTestRunOptions options = default;
            int result;
            fixed (byte* contextPointer = context)
            {
                options.Size = (nuint)BpfTestRunOptions.StructSize;
                if (context.Length > 0)
                {
                    options.ContextIn = (nint)contextPointer;
                    options.ContextSizeIn = (uint)context.Length;
                }
                result = LibBpf.ProgramTestRun(Fd, &options);
            }
            if (result != 0) throw new KernelCallException($"BPF_PROG_TEST_RUN of '{Name}'", result);
            returnValue = options.ReturnValue;
        }
        byte[] contextOut = ProgramType == ProgramTypeSyscall ? context : [];
        return new KernelRunResult(returnValue, [], contextOut, 0);
    }
}
