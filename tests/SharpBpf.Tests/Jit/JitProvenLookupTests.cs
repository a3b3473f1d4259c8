using SharpBpf.Execution;
using SharpBpf.Helpers.BuiltIn;
using SharpBpf.Interpreter;
using SharpBpf.Isa;
using SharpBpf.Jit;
using SharpBpf.Maps;
using static SharpBpf.Tests.Interpreter.Insn;

namespace SharpBpf.Tests.Jit;

/// <summary>
/// In a proven program the JIT's inlined ARRAY lookup registers no region, nor does a direct lookup in a hash map that
/// finds a preallocated element; the array's storage (the hash's elements) is recognised by the checks instead. What a check then allows must still be exactly the value bytes of one element with the map's
/// access: the value's padding, the bytes past the last element and writes to a read-only map still fault, and a
/// value passed to a helper still passes its check. The interpreter (which registers the region per lookup) agrees, and
/// so does a JIT that splits the program into 4-slot methods (the direct map call then spans method boundaries).
/// </summary>
public class JitProvenLookupTests
{
    private const int Lookup = (int)SharpBpf.Helpers.HelperId.MapLookupElem;

    /// <summary>
    /// key = <paramref name="key"/>; r0 = lookup(map, &amp;key); if !r0 return 7777; then <paramref name="access"/> on r0,
    /// which stays unproven (its check is what is tested); every other access is proven.
    /// </summary>
    private static (Instruction[] Program, ProvenAccesses Proofs) LookupThen(ulong handle, int key, Instruction access)
    {
        var program = P(
            I(Opcodes.StW, 10, 0, -4, key),
            MovReg(2, 10),
            Add(2, -4),
            Lddw(1, handle),
            CallHelper(Lookup),
            I(Opcodes.JneImm, 0, 0, 2, 0),
            Mov(0, 7777),
            Exit(),
            access,
            Exit());
        return (program, new ProvenAccesses([0], program.Length, contextType: 0));
    }

    private static (ulong? R0, FaultKind? Fault) Run(IExecutionEngine engine, Instruction[] program, ProvenAccesses proofs)
    {
        var options = Options(ExecutionMode.ProvenUnchecked, BuiltInHelpers.CreateRegistry()) with { ProvenAccesses = proofs };
        var prepared = engine.Prepare(program, options);
        using var scope = EpochManager.Shared.EnterRun();
        try
        {
            return (prepared.Run(new RunContext()), null);
        }
        catch (ProgramFaultException fault)
        {
            return (null, fault.Kind);
        }
    }

    /// <summary>Four elements of 12-byte values: an 8-byte-rounded stride of 16 leaves 4 bytes of padding after each.</summary>
    private static BpfMap Array(MapCreateFlags flags = MapCreateFlags.None, MapType type = MapType.Array)
    {
        var map = BpfMap.Create(new MapDefinition("proven", type, 4, 12, 4, flags));
        for (uint key = 0; key < 4; key++)
        {
            var value = new byte[map.HostValueSize];
            BitConverter.GetBytes(100UL + key).CopyTo(value, 0);
            map.Update(BitConverter.GetBytes(key), value);
        }

        return map;
    }

    [Theory]
    [InlineData(1, Opcodes.LdxDw, 0, 101UL, null)]
    [InlineData(3, Opcodes.LdxW, 8, 0UL, null)]
    [InlineData(1, Opcodes.LdxW, 12, null, FaultKind.OutOfBoundsRead)] // the padding after the value
    [InlineData(1, Opcodes.LdxDw, 8, null, FaultKind.OutOfBoundsRead)] // straddles the value's end
    [InlineData(3, Opcodes.LdxB, 16, null, FaultKind.OutOfBoundsRead)] // past the last element
    [InlineData(0, Opcodes.LdxB, -1, null, FaultKind.OutOfBoundsRead)] // before the first
    [InlineData(1, Opcodes.LdxDw, 16, 102UL, null)] // the next element's value: a map value as the kernel sees it
    public void An_unproven_access_to_the_value_is_checked_against_the_element(int key, byte opcode, int offset, ulong? r0, FaultKind? fault)
    {
        using var map = Array();
        var (program, proofs) = LookupThen((ulong)map.Handle, key, I(opcode, 0, 0, offset, 0));
        Assert.Equal((r0, fault), Run(new JitEngine(), program, proofs));
        Assert.Equal((r0, fault), Run(EngineParity.SplitJit, program, proofs));
        if (offset < 16)
        {
            Assert.Equal((r0, fault), Run(InterpreterEngine.Instance, program, proofs));
        }
    }

    [Theory]
    [InlineData(MapCreateFlags.None, Opcodes.LdxDw, 0, 102UL, null)]
    [InlineData(MapCreateFlags.None, Opcodes.LdxW, 12, null, FaultKind.OutOfBoundsRead)]
    [InlineData(MapCreateFlags.None, Opcodes.LdxDw, -8, null, FaultKind.OutOfBoundsRead)] // the previous element's key
    [InlineData(MapCreateFlags.NoPrealloc, Opcodes.LdxDw, 0, 102UL, null)]
    [InlineData(MapCreateFlags.NoPrealloc, Opcodes.LdxW, 12, null, FaultKind.OutOfBoundsRead)]
    public void An_unproven_access_to_a_hash_value_is_checked_against_the_element(MapCreateFlags flags, byte opcode, int offset, ulong? r0, FaultKind? fault)
    {
        using var map = Array(flags, MapType.Hash);
        var (program, proofs) = LookupThen((ulong)map.Handle, 2, I(opcode, 0, 0, offset, 0));
        Assert.Equal((r0, fault), Run(new JitEngine(), program, proofs));
        Assert.Equal((r0, fault), Run(EngineParity.SplitJit, program, proofs));
        Assert.Equal((r0, fault), Run(InterpreterEngine.Instance, program, proofs));
    }

    [Theory]
    [InlineData(MapCreateFlags.None, null)]
    [InlineData(MapCreateFlags.RdonlyProg, FaultKind.ReadOnlyWrite)]
    public void An_unproven_write_to_a_read_only_array_faults(MapCreateFlags flags, FaultKind? fault)
    {
        using var map = Array(flags);
        var (program, proofs) = LookupThen((ulong)map.Handle, 2, I(Opcodes.StW, 0, 0, 4, 9));
        Assert.Equal(fault, Run(new JitEngine(), program, proofs).Fault);
        Assert.Equal(fault, Run(EngineParity.SplitJit, program, proofs).Fault);
        Assert.Equal(fault, Run(InterpreterEngine.Instance, program, proofs).Fault);
    }

    [Fact]
    public void A_found_value_passes_the_memory_check_of_a_helper_argument()
    {
        using var array = Array();
        using var hash = BpfMap.Create(new MapDefinition("target", MapType.Hash, 4, 12, 4));
        // r7 = lookup(array, 2); update(hash, &key 2, r7 (the array's value), BPF_ANY).
        var program = P(
            I(Opcodes.StW, 10, 0, -4, 2),
            MovReg(2, 10),
            Add(2, -4),
            Lddw(1, (ulong)array.Handle),
            CallHelper(Lookup),
            I(Opcodes.JneImm, 0, 0, 2, 0),
            Mov(0, 7777),
            Exit(),
            MovReg(3, 0),
            MovReg(2, 10),
            Add(2, -4),
            Mov(4, 0),
            Lddw(1, (ulong)hash.Handle),
            CallHelper((int)SharpBpf.Helpers.HelperId.MapUpdateElem),
            Exit());
        var proofs = new ProvenAccesses([0], program.Length, contextType: 0);
        Assert.Equal((0UL, (FaultKind?)null), Run(new JitEngine(), program, proofs));
        Assert.Equal((0UL, (FaultKind?)null), Run(EngineParity.SplitJit, program, proofs));
        var copied = new byte[12];
        Assert.Equal(Errno.None, hash.Lookup(BitConverter.GetBytes(2u), copied));
        Assert.Equal(102UL, BitConverter.ToUInt64(copied));
    }

    [Fact]
    public void A_helper_argument_past_the_value_still_faults()
    {
        using var array = Array();
        using var hash = BpfMap.Create(new MapDefinition("target", MapType.Hash, 4, 16, 4));
        // The hash's 16-byte value read from a 12-byte array value: 4 bytes of padding, a fault at the call.
        var program = P(
            I(Opcodes.StW, 10, 0, -4, 2),
            MovReg(2, 10),
            Add(2, -4),
            Lddw(1, (ulong)array.Handle),
            CallHelper(Lookup),
            I(Opcodes.JneImm, 0, 0, 2, 0),
            Mov(0, 7777),
            Exit(),
            MovReg(3, 0),
            MovReg(2, 10),
            Add(2, -4),
            Mov(4, 0),
            Lddw(1, (ulong)hash.Handle),
            CallHelper((int)SharpBpf.Helpers.HelperId.MapUpdateElem),
            Exit());
        var proofs = new ProvenAccesses([0], program.Length, contextType: 0);
        Assert.Equal((null, FaultKind.OutOfBoundsRead), Run(new JitEngine(), program, proofs));
        Assert.Equal((null, FaultKind.OutOfBoundsRead), Run(EngineParity.SplitJit, program, proofs));
        Assert.Equal((null, FaultKind.OutOfBoundsRead), Run(InterpreterEngine.Instance, program, proofs));
    }

    [Theory]
    [InlineData(-4, 2UL, null)] // r2 = r10 - 4: inside the frame, the key check is known to pass and is not emitted
    [InlineData(4, null, FaultKind.OutOfBoundsRead)] // r2 = r10 + 4: above the frame, still checked
    [InlineData(-514, null, FaultKind.OutOfBoundsRead)] // below the frame (no deeper frame is live), still checked
    public void A_key_pointer_computed_from_r10_is_checked_unless_it_is_inside_the_frame(int offset, ulong? r0, FaultKind? fault)
    {
        using var map = Array();
        // r2 = r10 + offset; r0 = lookup(map, r2); r0 = r0 ? 2 : 3 (no access to the value).
        var program = P(
            I(Opcodes.StW, 10, 0, -4, 1),
            MovReg(2, 10),
            Add(2, offset),
            Lddw(1, (ulong)map.Handle),
            CallHelper(Lookup),
            I(Opcodes.JneImm, 0, 0, 2, 0),
            Mov(0, 3),
            Exit(),
            Mov(0, 2),
            Exit());
        var proofs = new ProvenAccesses([0], program.Length, contextType: 0);
        Assert.Equal((r0, fault), Run(new JitEngine(), program, proofs));
        Assert.Equal((r0, fault), Run(EngineParity.SplitJit, program, proofs));
        Assert.Equal((r0, fault), Run(InterpreterEngine.Instance, program, proofs));
    }

    [Fact]
    public void A_per_cpu_array_value_is_recognised_too()
    {
        using var map = Array(type: MapType.PercpuArray);
        var (program, proofs) = LookupThen((ulong)map.Handle, 3, I(Opcodes.LdxDw, 0, 0, 0));
        Assert.Equal((103UL, (FaultKind?)null), Run(new JitEngine(), program, proofs));
        Assert.Equal((103UL, (FaultKind?)null), Run(EngineParity.SplitJit, program, proofs));
        (program, proofs) = LookupThen((ulong)map.Handle, 3, I(Opcodes.LdxW, 0, 0, 12));
        Assert.Equal((null, FaultKind.OutOfBoundsRead), Run(new JitEngine(), program, proofs));
        Assert.Equal((null, FaultKind.OutOfBoundsRead), Run(EngineParity.SplitJit, program, proofs));
    }
    /// <summary>
    /// r6 = the map, loaded before a branch (no lddw next to the call, so the JIT has nothing to guess from); key 2;
    /// r0 = lookup(r6, &amp;key) read as a u64, 7777 when missing. The verifier's proof names the map at the call.
    /// </summary>
    private static (Instruction[] Program, ProvenAccesses Proofs) LookupThroughR6(BpfMap map)
    {
        var program = P(
            Lddw(6, (ulong)map.Handle),
            I(Opcodes.StW, 10, 0, -4, 2),
            I(Opcodes.JeqImm, 6, 0, 0, 0),
            MovReg(2, 10),
            Add(2, -4),
            MovReg(1, 6),
            CallHelper(Lookup),
            I(Opcodes.JneImm, 0, 0, 2, 0),
            Mov(0, 7777),
            Exit(),
            I(Opcodes.LdxDw, 0, 0, 0),
            Exit());
        return (program, new ProvenAccesses([2, 11], program.Length, contextType: 0, new Dictionary<int, BpfMap> { [7] = map }));
    }

    [Theory]
    [InlineData(MapType.Array)]
    [InlineData(MapType.PercpuArray)]
    [InlineData(MapType.Hash)]
    public void A_lookup_whose_map_the_verifier_proved_is_direct_and_finds_the_value(MapType type)
    {
        using var map = Array(type: type);
        var (program, proofs) = LookupThroughR6(map);
        Assert.Equal((102UL, (FaultKind?)null), Run(new JitEngine(), program, proofs));
        Assert.Equal((102UL, (FaultKind?)null), Run(EngineParity.SplitJit, program, proofs));
        Assert.Equal((102UL, (FaultKind?)null), Run(InterpreterEngine.Instance, program, proofs));
    }

    [Fact]
    public void A_proven_map_disposed_after_compiling_takes_the_helper_and_faults_as_it_does()
    {
        var map = Array();
        var (program, proofs) = LookupThroughR6(map);
        var jit = Run(new JitEngine(), program, proofs);
        Assert.Equal((102UL, (FaultKind?)null), jit);
        var options = Options(ExecutionMode.ProvenUnchecked, BuiltInHelpers.CreateRegistry()) with { ProvenAccesses = proofs };
        var prepared = new JitEngine().Prepare(program, options);
        var interpreted = InterpreterEngine.Instance.Prepare(program, options);
        map.Dispose();
        using var scope = EpochManager.Shared.EnterRun();
        var jitFault = Assert.Throws<ProgramFaultException>(() => prepared.Run(new RunContext()));
        var interpreterFault = Assert.Throws<ProgramFaultException>(() => interpreted.Run(new RunContext()));
        Assert.Equal(interpreterFault.Kind, jitFault.Kind);
        Assert.Contains("is not a map", jitFault.Message);
    }
    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(6)] // past the possible CPUs: the copy of CPU 6 mod 4, as BpfMap.CurrentCpu picks it
    public void Per_cpu_lookups_in_one_run_all_find_the_run_cpus_copy(int cpu)
    {
        using var map = BpfMap.Create(new MapDefinition("percpu", MapType.PercpuArray, 4, 8, 4), new MapCreateOptions { PossibleCpus = 4 });
        var value = new byte[map.HostValueSize];
        for (var copy = 0; copy < 4; copy++)
        {
            BitConverter.GetBytes(10UL * (ulong)copy + 1).CopyTo(value, 8 * copy);
        }

        map.Update(BitConverter.GetBytes(2u), value);
        // r6 = *lookup(map, 2); r0 = r6 + *lookup(map, 2) (the second lookup takes the CPU the first one read).
        var lookup = new object[] { MovReg(2, 10), Add(2, -4), Lddw(1, (ulong)map.Handle), CallHelper(Lookup), I(Opcodes.JneImm, 0, 0, 1, 0), Exit(), I(Opcodes.LdxDw, 0, 0, 0) };
        var program = P([I(Opcodes.StW, 10, 0, -4, 2), .. lookup, MovReg(6, 0), .. lookup, AddReg(0, 6), Exit()]);
        var options = Options(ExecutionMode.ProvenUnchecked, BuiltInHelpers.CreateRegistry())
            with { ProvenAccesses = new ProvenAccesses([0, 8, 17], program.Length, contextType: 0) };
        var expected = 2 * (10UL * (ulong)(cpu % 4) + 1);
        foreach (var engine in new IExecutionEngine[] { new JitEngine(), EngineParity.SplitJit, InterpreterEngine.Instance })
        {
            var prepared = engine.Prepare(program, options);
            using (EpochManager.Shared.EnterRun(cpu))
            {
                Assert.Equal(expected, prepared.Run(new RunContext()));
            }

            // The JIT reads the CPU when a run enters the method, not once per prepared program.
            using (EpochManager.Shared.EnterRun(cpu + 1))
            {
                Assert.Equal(2 * (10UL * (ulong)((cpu + 1) % 4) + 1), prepared.Run(new RunContext()));
            }
        }
    }
}
