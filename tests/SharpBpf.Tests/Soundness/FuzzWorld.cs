using System.Buffers.Binary;
using System.Collections.Frozen;
using System.Collections.Immutable;
using SharpBpf.Execution;
using SharpBpf.Helpers;
using SharpBpf.Helpers.BuiltIn;
using SharpBpf.Interpreter;
using SharpBpf.Isa;
using SharpBpf.Loader;
using SharpBpf.Maps;
using SharpBpf.Runtime;
using SharpBpf.Runtime.Contexts;
using SharpBpf.Verifier;

namespace SharpBpf.Tests.Soundness;

/// <summary>What one program did in the soundness fuzz.</summary>
internal enum FuzzVerdict
{
    Rejected,
    /// <summary>Accepted, and no run faulted on an instruction the verifier proved.</summary>
    Sound,
    /// <summary>Accepted, and a run in checked mode faulted on a load, store or atomic the verifier proved.</summary>
    ProvenAccessFaulted,
    /// <summary>Accepted, and a helper's check in checked mode faulted on a memory argument the verifier proved.</summary>
    ProvenHelperArgumentFaulted,
    /// <summary>Accepted, and a proven run left non-zero bytes in frame 0 below the stack bound the next run clears.</summary>
    StackLeftDirty,
}

/// <summary>A program the fuzz judged, with what a failure needs to be reproduced.</summary>
internal sealed record FuzzOutcome(FuzzVerdict Verdict, int Runs, int CheckedFaults, int ProvenSlots, string? Detail = null)
{
    /// <summary>Proven accesses through a global function's memory argument (a class with its own proof).</summary>
    public int CallerMemorySlots { get; init; }

    /// <summary>Proven atomics (their alignment is part of the proof).</summary>
    public int ProvenAtomics { get; init; }

    /// <summary>Helper memory arguments proven in bounds (call sites times arguments).</summary>
    public int ProvenHelperArguments { get; init; }
}

/// <summary>
/// Live maps, helpers and memory for running fuzzed programs, with regions as tight as the verifier's claims: the
/// packet region is exactly [data, data_end), the metadata region [data_meta, data), the context region the UAPI
/// struct, map values their value size. A program the verifier accepts runs in fully checked mode on random
/// inputs; a fault on an instruction the verifier proved means the proof was wrong. It then runs once more, from the
/// same input, in proven-unchecked mode — only after the checked run showed that input reaches no wrong proof — so the
/// proven variants of the engine run too. The two runs are not compared: a program may compute with addresses (a
/// pointer stored and read back as a number), and the stack block of a run is not always at the same address.
/// Not thread-safe: one world per fuzzing thread.
/// </summary>
internal sealed unsafe class FuzzWorld : IDisposable
{
    private const int FrameBytes = 4096;
    private const int MaxPacket = 512;
    private readonly byte* _frame;
    private readonly byte* _context;
    private readonly int _contextSize;
    private readonly IReadOnlyList<BpfMap> _maps;
    private readonly IReadOnlyList<MapSpec>? _mapSpecs;
    private readonly HelperRegistry _helpers;
    private readonly FrozenDictionary<int, HelperSignature> _signatures = ObjectVerifier.SignaturesOf(null);

    /// <summary>r0 = the OR of frame 0's 64 words, as a run after another finds them (checked: it clears a whole frame after itself).</summary>
    private static readonly PreparedProgram StackProbe = InterpreterEngine.Instance.Prepare(
        [
            new Instruction(Opcodes.Mov64Imm, 0, 0, 0, 0),
            .. Enumerable.Range(1, 64).SelectMany(k => new[]
            {
                new Instruction(Opcodes.LdxDw, 1, 10, (short)(-8 * k), 0),
                new Instruction(Opcodes.Or64Reg, 0, 1, 0, 0),
            }),
            new Instruction(Opcodes.Exit, 0, 0, 0, 0),
        ],
        new EngineOptions { Mode = ExecutionMode.Checked, InstructionBudget = 1_000 });
    private readonly ProgramType _type;
    private readonly List<MemoryRegion> _globalData = [];
    private readonly FuzzPacket? _packet;

    private FuzzWorld(IReadOnlyList<BpfMap> maps, IReadOnlyList<MapSpec>? specs, ProgramType type)
    {
        _maps = maps;
        _mapSpecs = specs;
        _type = type;
        _frame = LowMemory.Allocate(FrameBytes);
        _contextSize = Math.Max(VerifierContexts.For(type).Size, 64);
        _context = (byte*)System.Runtime.InteropServices.NativeMemory.AllocZeroed((nuint)_contextSize);
        _helpers = RecordingArguments(BuiltInHelpers.CreateRegistry(new HelperEnvironment { Clock = new SharpBpf.Time.VirtualClock() }));
        var layout = VerifierContexts.For(type);
        if (layout.DataOffset is { } dataAt && layout.DataEndOffset is { } endAt)
        {
            _packet = new FuzzPacket(_frame, FrameBytes, _context, dataAt, endAt, layout.DataMetaOffset);
        }
    }

    /// <summary>The world the generator writes for: an array, a hash and a global-data array, an XDP context.</summary>
    public static FuzzWorld ForGeneratedPrograms()
    {
        var maps = new List<BpfMap>
        {
            BpfMap.Create(new MapDefinition("array", MapType.Array, 4, GeneratedWorld.ArrayValueSize, GeneratedWorld.ArrayEntries)),
            BpfMap.Create(new MapDefinition("hash", MapType.Hash, 4, GeneratedWorld.HashValueSize, GeneratedWorld.HashEntries)),
            BpfMap.Create(new MapDefinition("global", MapType.Array, 4, GeneratedWorld.GlobalValueSize, 1)),
            BpfMap.Create(new MapDefinition("lru", MapType.LruHash, 4, GeneratedWorld.LruValueSize, GeneratedWorld.LruEntries)),
        };
        var world = new FuzzWorld(maps, null, ProgramType.Xdp);
        var global = (ArrayMap)maps[2];
        world._globalData.Add(new MemoryRegion((ulong)global.ValueAddress(0), (ulong)global.ValueSize, MemoryAccess.ReadWrite, RegionKind.HelperMemory));
        return world;
    }

    /// <summary>A world with the maps of a loaded object (its programs' mutations run here).</summary>
    public static FuzzWorld ForObject(CollectionSpec spec, ProgramType type)
    {
        var maps = spec.Maps.Select(m => MapFactory.Create(m, 2)).ToList();
        var world = new FuzzWorld(maps, spec.Maps, type);
        world._globalData.AddRange(MapFactory.GlobalDataRegions(spec, maps));
        return world;
    }

    public static readonly VerifierMap[] GeneratedVerifierMaps =
    [
        new("array", MapType.Array, 4, (int)GeneratedWorld.ArrayValueSize, [], MaxEntries: (int)GeneratedWorld.ArrayEntries),
        new("hash", MapType.Hash, 4, (int)GeneratedWorld.HashValueSize, [], MaxEntries: (int)GeneratedWorld.HashEntries),
        new("global", MapType.Array, 4, (int)GeneratedWorld.GlobalValueSize, [], MaxEntries: 1),
        new("lru", MapType.LruHash, 4, (int)GeneratedWorld.LruValueSize, [], MaxEntries: (int)GeneratedWorld.LruEntries),
    ];

    /// <summary>The verifier's view of a generated program: lddw src=1 imm=N names map N, src=2 imm=N map N's value.</summary>
    public VerifierInput InputForGenerated(Instruction[] code)
    {
        var references = new Dictionary<int, VerifierMapReference>();
        for (var pc = 0; pc < code.Length; pc++)
        {
            var insn = code[pc];
            if (insn.IsLoadImm64 && insn.Src is 1 or 2 && (uint)insn.Immediate < (uint)GeneratedVerifierMaps.Length)
            {
                references[pc] = new VerifierMapReference(GeneratedVerifierMaps[insn.Immediate], insn.Src == 2, code[pc + 1].Immediate);
            }

            if (insn.IsLoadImm64)
            {
                pc++;
            }
        }

        var globals = GlobalFunctionsOf(code);
        return new VerifierInput
        {
            ProgramName = "fuzz",
            Instructions = [.. code],
            Functions = [new VerifierFunction("main", 0, false), .. globals.Keys.Order().Select(start => new VerifierFunction($"global{start}", start, false))],
            GlobalFunctions = globals,
            MapReferences = references.ToFrozenDictionary(),
            Context = VerifierContexts.For(ProgramType.Xdp),
            Helpers = _signatures,
            HasFuncInfo = false,
            ProgramType = (uint)ProgramType.Xdp,
            IsGplCompatible = true,
        };
    }

    /// <summary>The generated global functions: every bpf-to-bpf call target, its prototype in its first instruction (<see cref="GeneratedWorld.NullableArgument"/>).</summary>
    private static FrozenDictionary<int, GlobalFunctionPrototype> GlobalFunctionsOf(Instruction[] code)
    {
        var globals = new Dictionary<int, GlobalFunctionPrototype>();
        for (var pc = 0; pc < code.Length; pc++)
        {
            if (code[pc] is { Opcode: Opcodes.Call, Src: 1 } call && pc + call.Immediate + 1 is var start && (uint)start < (uint)code.Length
                && code[start] is { Opcode: Opcodes.Mov64Imm, Dst: 0 } marker)
            {
                var kind = (marker.Immediate & GeneratedWorld.NullableArgument) != 0 ? GlobalArgumentKind.MemoryOrNull : GlobalArgumentKind.Memory;
                globals[start] = new GlobalFunctionPrototype([new GlobalArgument(kind, marker.Immediate & 0xffff)]);
            }
        }

        return globals.ToFrozenDictionary();
    }

    /// <summary>A generated program with its map references replaced by live handles and value addresses.</summary>
    public Instruction[] LinkGenerated(Instruction[] code)
    {
        var linked = code.ToArray();
        for (var pc = 0; pc < linked.Length; pc++)
        {
            var insn = linked[pc];
            if (insn.IsLoadImm64 && insn.Src is 1 or 2 && (uint)insn.Immediate < (uint)_maps.Count)
            {
                var map = _maps[insn.Immediate];
                ulong value = insn.Src == 1 ? (ulong)map.Handle : (ulong)((ArrayMap)map).ValueAddress(0) + (ulong)(uint)linked[pc + 1].Immediate;
                linked[pc] = new Instruction(Opcodes.Lddw, insn.Dst, 0, 0, (int)(uint)value);
                linked[pc + 1] = new Instruction(0, 0, 0, 0, (int)(uint)(value >> 32));
            }

            if (insn.IsLoadImm64)
            {
                pc++;
            }
        }

        return linked;
    }

    /// <summary>The call slot and r1–r5 of the helper call that started last in this world (to name the argument a helper's check faulted on).</summary>
    private (int Slot, ulong[] Arguments) _lastCall = (-1, new ulong[6]);

    /// <summary>Every helper of <paramref name="registry"/>, recording its call's arguments before it runs.</summary>
    private HelperRegistry RecordingArguments(HelperRegistry registry)
    {
        foreach (var helper in registry.Snapshot())
        {
            var inner = helper.Function;
            registry.Replace(helper.Id, helper.Name, (context, r1, r2, r3, r4, r5) =>
            {
                _lastCall.Slot = context.InstructionIndex;
                (_lastCall.Arguments[1], _lastCall.Arguments[2], _lastCall.Arguments[3], _lastCall.Arguments[4], _lastCall.Arguments[5]) = (r1, r2, r3, r4, r5);
                return inner(context, r1, r2, r3, r4, r5);
            }, helper.Signature);
        }

        return registry;
    }

    /// <summary>
    /// The proven memory argument a checked helper call's fault at <paramref name="fault"/> fell on: a helper checks an
    /// argument's range from the address the argument holds, so the fault's address names it.
    /// </summary>
    private int? ProvenArgumentFaulted(ProgramFaultException fault, IReadOnlySet<(int Call, int Register)> provenArguments)
    {
        if (_lastCall.Slot != fault.InstructionIndex)
        {
            return null;
        }

        for (var register = 1; register <= 5; register++)
        {
            if (provenArguments.Contains((fault.InstructionIndex, register)) && _lastCall.Arguments[register] == fault.Address)
            {
                return register;
            }
        }

        return null;
    }

    /// <summary>An object program's slots with its maps linked (the same relocation the runtime makes).</summary>
    public Instruction[] LinkObjectProgram(ProgramSpec program) => MapBinder.Bind(program, _maps);

    /// <summary>Verifies <paramref name="input"/>; when accepted runs <paramref name="linked"/> on <paramref name="inputs"/> random inputs.</summary>
    public FuzzOutcome Judge(VerifierInput input, Instruction[] linked, Random random, int inputs)
    {
        var verdict = ProgramVerifier.Verify(input, new VerifierOptions { LogLevel = 0, InstructionLimit = 200_000 });
        if (!verdict.Accepted)
        {
            return new FuzzOutcome(FuzzVerdict.Rejected, 0, 0, 0);
        }

        var proofs = verdict.AccessProofs;
        var provenSlots = verdict.ProvenSlots.ToArray();
        var provenArguments = verdict.ProvenHelperArguments.ToHashSet();
        PreparedProgram checkedProgram, provenProgram;
        try
        {
            var options = new EngineOptions { Mode = ExecutionMode.Checked, Helpers = _helpers, InstructionBudget = 20_000 };
            checkedProgram = InterpreterEngine.Instance.Prepare(linked, options);
            provenProgram = InterpreterEngine.Instance.Prepare(linked, options with
            {
                Mode = ExecutionMode.ProvenUnchecked,
                ProvenAccesses = new ProvenAccesses(provenSlots, linked.Length, (uint)_type, stackBytesBound: verdict.StackBytesBound,
                    provenHelperArguments: provenArguments),
            });
        }
        catch (InvalidInstructionException)
        {
            // Reserved fields only a dead branch reaches: accepted by the verifier, refused by the engines (documented).
            return new FuzzOutcome(FuzzVerdict.Rejected, 0, 0, 0);
        }

        var faults = 0;
        for (var i = 0; i < inputs; i++)
        {
            var inputSeed = random.Next();
            _lastCall.Slot = -1;
            var checkedEnd = RunOnce(checkedProgram, inputSeed);
            if (checkedEnd.Fault is { } fault)
            {
                faults++;
                // A helper that moved the packet (adjust_head…) leaves the run's exact packet region behind; a fault
                // inside the frame is then the stale region's, not the proof's.
                var staleRegion = _packet is { Moved: true } && _packet.InFrame(fault.Address);
                if (IsAccessFault(fault.Kind) && (uint)fault.InstructionIndex < (uint)proofs.Length && proofs[fault.InstructionIndex].Proven && !staleRegion)
                {
                    return new FuzzOutcome(FuzzVerdict.ProvenAccessFaulted, i + 1, faults, provenSlots.Length,
                        $"{fault.Kind} at proven insn {fault.InstructionIndex} ({proofs[fault.InstructionIndex].Regions}), input seed {inputSeed}: {fault.Message}");
                }

                if (IsAccessFault(fault.Kind) && !staleRegion && ProvenArgumentFaulted(fault, provenArguments) is { } register)
                {
                    var proof = verdict.HelperArgumentProofs[new HelperArgumentSlot(fault.InstructionIndex, register)];
                    return new FuzzOutcome(FuzzVerdict.ProvenHelperArgumentFaulted, i + 1, faults, provenSlots.Length,
                        $"{fault.Kind} on proven R{register} of the call at insn {fault.InstructionIndex} ({proof.Regions}), input seed {inputSeed}: {fault.Message}");
                }
            }

            RunOnce(provenProgram, inputSeed);
            // The probe's run clears only what the proven run declared it may write (StackBytesWritten): anything
            // the proven run wrote below that is still there for the probe to see.
            if (StackProbe.Run(new RunContext()) != 0)
            {
                return new FuzzOutcome(FuzzVerdict.StackLeftDirty, i + 1, faults, provenSlots.Length,
                    $"frame 0 not zero after a proven run declaring {provenProgram.StackBytesWritten} bytes, input seed {inputSeed}");
            }
        }

        return new FuzzOutcome(FuzzVerdict.Sound, inputs, faults, provenSlots.Length)
        {
            CallerMemorySlots = provenSlots.Count(slot => (proofs[slot].Regions & AccessRegions.CallerMemory) != 0),
            ProvenAtomics = provenSlots.Count(slot => linked[slot].Opcode is Opcodes.AtomicW or Opcodes.AtomicDw),
            ProvenHelperArguments = provenArguments.Count,
        };
    }

    private static bool IsAccessFault(FaultKind kind) =>
        kind is FaultKind.OutOfBoundsRead or FaultKind.OutOfBoundsWrite or FaultKind.ReadOnlyWrite or FaultKind.MisalignedAtomic;

    private readonly record struct RunEnd(ulong R0, ProgramFaultException? Fault);

    /// <summary>One run on the input <paramref name="inputSeed"/> makes: packet, metadata, context fields, map contents.</summary>
    private RunEnd RunOnce(PreparedProgram program, int inputSeed)
    {
        var random = new Random(inputSeed);
        var run = FillInput(random);
        try
        {
            return new RunEnd(program.Run(run), null);
        }
        catch (ProgramFaultException fault)
        {
            return new RunEnd(0, fault);
        }
    }

    private RunContext FillInput(Random random)
    {
        // The packet: random length (0 included), random bytes, at a random spot after random metadata.
        var length = random.Next(4) == 0 ? random.Next(0, 16) : random.Next(0, MaxPacket);
        var metaLength = random.Next(3) == 0 ? random.Next(1, 33) : 0;
        var headroom = 64 + random.Next(0, 256);
        var data = _frame + headroom;
        var frame = new Span<byte>(_frame, FrameBytes);
        random.NextBytes(frame);
        var context = new Span<byte>(_context, _contextSize);
        random.NextBytes(context);
        var run = new RunContext { R1 = (ulong)_context, HostState = _packet };
        _packet?.Reset((nint)data, (nint)(data + length), (nint)(data - metaLength));

        run.AddRegion((nint)_context, VerifierContexts.For(_type).Size is > 0 and var size ? size : _contextSize, MemoryAccess.ReadWrite, RegionKind.Context);
        var layout = VerifierContexts.For(_type);
        if (layout.DataOffset is { } dataAt && layout.DataEndOffset is { } endAt)
        {
            // The packet pointers the context holds, exactly as the type's UAPI struct has them (32-bit fields).
            BinaryPrimitives.WriteUInt32LittleEndian(context[dataAt..], (uint)(nuint)data);
            BinaryPrimitives.WriteUInt32LittleEndian(context[endAt..], (uint)(nuint)(data + length));
            if (layout.DataMetaOffset is { } metaAt)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(context[metaAt..], (uint)(nuint)(data - metaLength));
            }
            else
            {
                metaLength = 0;
            }

            if (length > 0)
            {
                run.AddRegion((nint)data, length, MemoryAccess.ReadWrite, RegionKind.Packet);
            }

            if (metaLength > 0)
            {
                run.AddRegion((nint)(data - metaLength), metaLength, MemoryAccess.ReadWrite, RegionKind.Packet);
            }
        }

        foreach (var region in _globalData)
        {
            run.AddRegion((nint)region.Start, (long)region.Length, region.Access, region.Kind);
        }

        FillMaps(random);
        return run;
    }

    private void FillMaps(Random random)
    {
        for (var m = 0; m < _maps.Count; m++)
        {
            var map = _maps[m];
            if (map.Type is not (MapType.Array or MapType.Hash or MapType.PercpuArray or MapType.PercpuHash or MapType.LruHash) || map.KeySize > 64 || map.ValueSize > 4096)
            {
                continue;
            }

            var key = new byte[map.KeySize].AsSpan();
            var value = new byte[map.HostValueSize];
            if (map.Type is MapType.Hash or MapType.PercpuHash or MapType.LruHash)
            {
                key.Clear();
                foreach (var existing in map.Keys().ToList())
                {
                    map.Delete(existing);
                }

                var count = random.Next(0, Math.Min(map.MaxEntries, 6) + 1);
                for (var i = 0; i < count; i++)
                {
                    key.Clear();
                    key[0] = (byte)random.Next(0, 8);
                    random.NextBytes(value);
                    map.Update(key, value);
                }

                continue;
            }

            for (var i = 0; i < Math.Min(map.MaxEntries, 8); i++)
            {
                key.Clear();
                BinaryPrimitives.WriteUInt32LittleEndian(key, (uint)i);
                random.NextBytes(value);
                map.Update(key, value);
            }
        }
    }

    public void Dispose()
    {
        foreach (var map in _maps)
        {
            map.Dispose();
        }

        LowMemory.Free(_frame, FrameBytes);
        System.Runtime.InteropServices.NativeMemory.Free(_context);
    }
}
