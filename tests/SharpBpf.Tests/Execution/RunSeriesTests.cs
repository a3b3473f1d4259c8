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

    private static ulong FunctionPointerTo(int slot) => SharpBpf.Helpers.FunctionPointer.Encode(slot);
}
