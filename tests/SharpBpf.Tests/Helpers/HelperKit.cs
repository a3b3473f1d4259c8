using System.Runtime.InteropServices;
using SharpBpf.Execution;
using SharpBpf.Helpers;
using SharpBpf.Helpers.BuiltIn;
using SharpBpf.Interpreter;
using SharpBpf.Isa;
using SharpBpf.Maps;
using SharpBpf.Time;
using static SharpBpf.Tests.Interpreter.Insn;

namespace SharpBpf.Tests.Helpers;

/// <summary>Builders and runners for helper tests: programs as instruction arrays run on the interpreter with the built-in helpers.</summary>
internal static class HelperKit
{
    public static Instruction StDw(int dst, int off, int imm) => I(Opcodes.StDw, dst, 0, off, imm);
    public static Instruction StW(int dst, int off, int imm) => I(Opcodes.StW, dst, 0, off, imm);
    public static Instruction StB(int dst, int off, int imm) => I(Opcodes.StB, dst, 0, off, imm);
    public static Instruction StxDw(int dst, int off, int src) => I(Opcodes.StxDw, dst, src, off);
    public static Instruction StxW(int dst, int off, int src) => I(Opcodes.StxW, dst, src, off);
    public static Instruction LdxDw(int dst, int src, int off) => I(Opcodes.LdxDw, dst, src, off);
    public static Instruction LdxW(int dst, int src, int off) => I(Opcodes.LdxW, dst, src, off);
    public static Instruction LdxB(int dst, int src, int off) => I(Opcodes.LdxB, dst, src, off);
    public static Instruction JeqImm(int dst, int imm, int off) => I(Opcodes.JeqImm, dst, 0, off, imm);
    public static Instruction JneImm(int dst, int imm, int off) => I(Opcodes.JneImm, dst, 0, off, imm);
    public static Instruction Ja(int off) => I(Opcodes.Ja, 0, 0, off);
    public static Instruction Call(HelperId id) => CallHelper((int)id);

    /// <summary>r{dst} = the map's handle, as the loader leaves it in an <c>lddw</c>.</summary>
    public static Instruction[] LoadMap(int dst, BpfMap map) => Lddw(dst, (ulong)map.Handle, src: 1);

    /// <summary>r{dst} = r10 + offset.</summary>
    public static Instruction[] StackPointer(int dst, int offset) => [MovReg(dst, 10), Add(dst, offset)];

    /// <summary>r{dst} = a function pointer to the instruction at <paramref name="relative"/> slots after the lddw's second half.</summary>
    public static Instruction[] LoadFunction(int dst, int relative) =>
    [
        new(Opcodes.Lddw, (byte)dst, 4, 0, relative),
        new(0, 0, 0, 0, 0),
    ];

    public static HelperEnvironment Environment(VirtualClock? clock = null, ITraceSink? trace = null, ulong seed = 1) => new()
    {
        Clock = clock ?? new VirtualClock(),
        TraceSink = trace,
        Random = new SeededRandom(seed),
        Process = new FixedHostProcess(4242, 4243, "sharpbpf-test"),
    };

    public static PreparedProgram Prepare(Instruction[] program, HelperRegistry registry, ExecutionMode mode = ExecutionMode.Checked, long budget = 10_000_000) =>
        InterpreterEngine.Instance.Prepare(program, new EngineOptions { Mode = mode, Helpers = registry, InstructionBudget = budget });

    /// <summary>Runs inside a map epoch on CPU <paramref name="cpu"/>; r1 = <paramref name="r1"/>.</summary>
    public static ulong Run(Instruction[] program, HelperRegistry registry, object? hostState = null, ulong r1 = 0,
        ExecutionMode mode = ExecutionMode.Checked, int cpu = 0, IEnumerable<MemoryRegion>? regions = null, long budget = 10_000_000)
    {
        var context = new RunContext { HostState = hostState, R1 = r1, InstructionBudget = budget };
        foreach (var region in regions ?? [])
        {
            context.AddRegion((nint)region.Start, (long)region.Length, region.Access, region.Kind);
        }

        if (hostState is TestPacket packet)
        {
            context.AddRegion(packet.BufferStart, TestPacket.FrameSize, MemoryAccess.ReadWrite, RegionKind.Packet);
        }

        using var scope = EpochManager.Shared.EnterRun(cpu);
        return Prepare(program, registry, mode, budget).Run(context);
    }

    /// <summary>
    /// Runs <paramref name="body"/> with r9 = an output array of <paramref name="slots"/> u64 (use <see cref="Save"/>)
    /// followed by <c>r0 = 0; exit</c>, and any <paramref name="tail"/> (callbacks) after that. Returns the array.
    /// </summary>
    public static ulong[] Results(Instruction[] body, HelperRegistry registry, int slots, object? hostState = null,
        ExecutionMode mode = ExecutionMode.Checked, int cpu = 0, Instruction[]? tail = null)
    {
        var output = GC.AllocateArray<ulong>(slots, pinned: true);
        var address = Marshal.UnsafeAddrOfPinnedArrayElement(output, 0);
        var program = ResolveCallbacks(P(MovReg(9, 1), body, Mov(0, 0), Exit(), tail ?? []), 1 + body.Length + 2);
        Run(program, registry, hostState, (ulong)address, mode, cpu,
            [new MemoryRegion((ulong)address, (ulong)slots * 8, MemoryAccess.ReadWrite, RegionKind.Input)]);
        return output;
    }

    private const short CallbackMarker = 0x7CB0;

    /// <summary>r{dst} = a function pointer to slot <paramref name="tailSlot"/> of the <c>tail</c> given to <see cref="Results"/>.</summary>
    public static Instruction[] LoadCallback(int dst, int tailSlot = 0) =>
    [
        new(Opcodes.Lddw, (byte)dst, 4, CallbackMarker, tailSlot),
        new(0, 0, 0, 0, 0),
    ];

    /// <summary>Turns <see cref="LoadCallback"/> placeholders into <c>lddw func</c> offsets (target = pc + 1 + imm).</summary>
    public static Instruction[] ResolveCallbacks(Instruction[] program, int tailStart)
    {
        for (var pc = 0; pc < program.Length; pc++)
        {
            if (program[pc].IsLoadImm64 && program[pc].Src == 4 && program[pc].Offset == CallbackMarker)
            {
                program[pc] = program[pc].WithOffset(0).WithImmediate(tailStart + program[pc].Immediate - pc - 1);
            }
        }

        return program;
    }

    /// <summary>*(u64 *)(r9 + slot * 8) = r0.</summary>
    public static Instruction Save(int slot) => StxDw(9, slot * 8, 0);

    /// <summary>-errno as a program sees it in r0.</summary>
    public static ulong Err(Errno errno) => (ulong)errno.ToHelperResult();

    public static BpfMap CreateMap(MapType type, uint keySize, uint valueSize, uint maxEntries, MapCreateFlags flags = MapCreateFlags.None, int cpus = 4) =>
        BpfMap.Create(new MapDefinition("m", type, keySize, valueSize, maxEntries, flags), new MapCreateOptions { PossibleCpus = cpus });

    public static long Signed(ulong value) => (long)value;
}

/// <summary>
/// An XDP/tc packet laid out like the kernel's test run: a 4096-byte frame, 256 bytes of headroom, the packet, and
/// the 320 bytes of tailroom the kernel keeps for skb_shared_info.
/// </summary>
internal sealed unsafe class TestPacket : IPacketContext, IDisposable
{
    public const int Headroom = 256;
    public const int FrameSize = 4096;
    public const int SharedInfoTailroom = 320;

    private readonly byte* _frame;

    public TestPacket(ReadOnlySpan<byte> packet, PacketContextKind kind = PacketContextKind.Xdp, bool supportsMetadata = true)
    {
        _frame = (byte*)NativeMemory.AllocZeroed(FrameSize);
        BufferStart = (nint)_frame;
        Data = DataMeta = BufferStart + Headroom;
        packet.CopyTo(new Span<byte>((void*)Data, packet.Length));
        DataEnd = Data + packet.Length;
        Kind = kind;
        SupportsMetadata = supportsMetadata;
    }

    public PacketContextKind Kind { get; }
    public nint BufferStart { get; }
    public nint BufferEnd => BufferStart + FrameSize - SharedInfoTailroom;
    public nint Data { get; set; }
    public nint DataEnd { get; set; }
    public nint DataMeta { get; set; }
    public bool SupportsMetadata { get; }
    public PacketRedirect? Redirect { get; set; }

    public int Length => (int)(DataEnd - Data);
    public int MetaLength => (int)(Data - DataMeta);
    public int HeadroomLeft => (int)(Data - BufferStart);
    public Span<byte> Bytes => new((void*)Data, Length);
    public Span<byte> Frame => new(_frame, FrameSize);

    public void Dispose() => NativeMemory.Free(_frame);
}
