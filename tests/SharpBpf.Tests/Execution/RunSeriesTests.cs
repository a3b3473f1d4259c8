using SharpBpf.Execution;
using SharpBpf.Interpreter;
using SharpBpf.Isa;
using SharpBpf.Jit;
using static SharpBpf.Tests.Interpreter.Insn;

namespace SharpBpf.Tests.Execution;

/// <summary>
/// Runs reuse their thread's state and a test run's repeat resets it between repetitions: what one run leaves on the
/// stack or in its regions must not be visible to the next.
/// </summary>
public class RunSeriesTests
{
    public static TheoryData<string> Engines => ["interpreter", "jit"];

    private static IExecutionEngine Engine(string name) => name == "jit" ? new JitEngine() : InterpreterEngine.Instance;

    /// <summary>r0 = the stack slot at r10-8 as the run found it; then the slot = 42.</summary>
    private static Instruction[] ReadThenDirtyStack() => P(
        I(Opcodes.LdxDw, 0, 10, -8),
        I(Opcodes.StDw, 10, 0, -8, 42),
        Exit());

    [Theory]
    [MemberData(nameof(Engines))]
    public void Every_repetition_of_a_series_starts_with_a_zero_stack(string engine)
    {
        var prepared = Engine(engine).Prepare(ReadThenDirtyStack(), Options());
        using var series = prepared.StartSeries(new RunContext());
        Assert.Equal([0UL, 0UL, 0UL], new[] { series.Next(), series.Next(), series.Next() });
        Assert.Equal(2, series.LastExecutedInstructions - 1);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void A_run_after_another_on_the_same_thread_starts_with_a_zero_stack(string engine)
    {
        var prepared = Engine(engine).Prepare(ReadThenDirtyStack(), Options());
        Assert.Equal(0UL, prepared.Run(new RunContext()));
        Assert.Equal(0UL, prepared.Run(new RunContext()));
        Assert.Equal(0UL, prepared.Run([]));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void A_frame_a_callback_wrote_is_zero_in_the_next_repetition(string engine)
    {
        // Main: r1 = callback; call the helper that invokes it (frame 1); r0 = what the callback read.
        // Callback (slot 5): r0 = *(r10-8) of frame 1; *(r10-8) = 42.
        var helpers = new SharpBpf.Helpers.HelperRegistry().Register(200, "invoke", (context, r1, _, _, _, _) =>
            context.InvokeSubprogram(r1));
        var program = P(
            Lddw(1, FunctionPointerTo(5)),
            CallHelper(200),
            Exit(),
            Exit(),
            I(Opcodes.LdxDw, 0, 10, -8),
            I(Opcodes.StDw, 10, 0, -8, 42),
            Exit());
        var prepared = Engine(engine).Prepare(program, Options(helpers: helpers));
        using var series = prepared.StartSeries(new RunContext());
        Assert.Equal([0UL, 0UL], new[] { series.Next(), series.Next() });
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void Regions_a_helper_added_end_with_their_repetition(string engine)
    {
        var buffer = new byte[16];
        var handle = System.Runtime.InteropServices.GCHandle.Alloc(buffer, System.Runtime.InteropServices.GCHandleType.Pinned);
        try
        {
            var address = (ulong)handle.AddrOfPinnedObject();
            var calls = 0;
            // The first call exposes the buffer; later calls do not, so a later load from it must fault.
            var helpers = new SharpBpf.Helpers.HelperRegistry().Register(200, "expose_once", (context, _, _, _, _, _) =>
            {
                if (calls++ == 0) context.AddRegion((nint)address, buffer.Length, SharpBpf.Helpers.MemoryAccess.Read);
                return address;
            });
            var prepared = Engine(engine).Prepare(P(CallHelper(200), I(Opcodes.LdxDw, 0, 0, 0), Exit()), Options(helpers: helpers));
            using var series = prepared.StartSeries(new RunContext());
            Assert.Equal(0UL, series.Next());
            var fault = Assert.Throws<ProgramFaultException>(() => series.Next());
            Assert.Equal(FaultKind.OutOfBoundsRead, fault.Kind);
        }
        finally
        {
            handle.Free();
        }
    }

    /// <summary>*(r10-8) = 42, *(r10-16) = 43 with both stores proven and the verifier's bound of 16 bytes (or none).</summary>
    private static PreparedProgram ProvenShallowWriter(IExecutionEngine engine, int? bound, bool storesProven = true)
    {
        var program = P(
            I(Opcodes.StDw, 10, 0, -8, 42),
            I(Opcodes.StDw, 10, 0, -16, 43),
            Mov(0, 0),
            Exit());
        var proofs = new ProvenAccesses(storesProven ? [0, 1] : [0], program.Length, contextType: 0, stackBytesBound: bound);
        return engine.Prepare(program, Options(ExecutionMode.ProvenUnchecked) with { ProvenAccesses = proofs });
    }

    /// <summary>r0 = *(r10-8) + *(r10-16) + *(r10-512) as the run found them; then *(r10-512) = 7.</summary>
    private static Instruction[] ReadFrameThenDirtyItsBottom() => P(
        I(Opcodes.LdxDw, 0, 10, -8),
        I(Opcodes.LdxDw, 1, 10, -16),
        AddReg(0, 1),
        I(Opcodes.LdxDw, 1, 10, -512),
        AddReg(0, 1),
        I(Opcodes.StDw, 10, 0, -512, 7),
        Exit());

    [Theory]
    [InlineData(16, true, 16)]
    [InlineData(20, true, 32)]
    [InlineData(16, false, 512)]
    [InlineData(null, true, 512)]
    public void A_proven_program_writes_only_its_verified_stack_depth_when_every_store_is_proven(int? bound, bool storesProven, int written)
    {
        Assert.Equal(written, ProvenShallowWriter(new JitEngine(), bound, storesProven).StackBytesWritten);
        Assert.Equal(written, ProvenShallowWriter(InterpreterEngine.Instance, bound, storesProven).StackBytesWritten);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void Runs_of_a_program_with_a_bounded_stack_and_of_others_on_one_thread_all_start_with_a_zero_stack(string engine)
    {
        var shallow = ProvenShallowWriter(Engine(engine), 16);
        var deep = Engine(engine).Prepare(ReadFrameThenDirtyItsBottom(), Options());
        Assert.Equal(0UL, shallow.Run(new RunContext()));
        Assert.Equal(0UL, deep.Run(new RunContext())); // the shallow run's bytes were cleared
        Assert.Equal(0UL, shallow.Run(new RunContext()));
        Assert.Equal(0UL, shallow.Run(new RunContext())); // clears the deep run's byte at r10-512 first
        Assert.Equal(0UL, deep.Run(new RunContext()));
        Assert.Equal(0UL, deep.Run(new RunContext()));
        using var series = shallow.StartSeries(new RunContext());
        Assert.Equal([0UL, 0UL], new[] { series.Next(), series.Next() });
        Assert.Equal(0UL, deep.Run(new RunContext()));
    }

    private static ulong FunctionPointerTo(int slot) => SharpBpf.Helpers.FunctionPointer.Encode(slot);
}
