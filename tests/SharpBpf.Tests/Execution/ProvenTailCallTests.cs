using SharpBpf.Execution;
using SharpBpf.Helpers;
using SharpBpf.Interpreter;
using SharpBpf.Isa;
using static SharpBpf.Tests.Interpreter.Insn;

namespace SharpBpf.Tests.Execution;

/// <summary>
/// A proven program assumes r1 is the context of the type it was verified for, so a tail call enters it only from a
/// program of that type with the run's own context in r1; otherwise the call faults instead of running unchecked
/// accesses on the wrong memory.
/// </summary>
public class ProvenTailCallTests
{
    private const int TailCallHelperId = 1000;

    private static ulong RunTailCall(uint callerType, uint targetType, int moveR1By)
    {
        var target = InterpreterEngine.Instance.Prepare([Mov(0, 42), Exit()], new EngineOptions
        {
            Mode = ExecutionMode.ProvenUnchecked,
            ProvenAccesses = new ProvenAccesses([], 2, targetType),
        });
        var helpers = new HelperRegistry().Register(TailCallHelperId, "tail_call", (context, _, _, _, _, _) => context.TryTailCall(target) ? 0UL : 1UL);
        var caller = InterpreterEngine.Instance.Prepare([Add(1, moveR1By), CallHelper(TailCallHelperId), Mov(0, 7), Exit()], new EngineOptions
        {
            Mode = ExecutionMode.ProvenUnchecked,
            Helpers = helpers,
            ProvenAccesses = new ProvenAccesses([], 4, callerType),
        });
        return caller.Run(new RunContext { R1 = 0x1000 });
    }

    [Fact]
    public void The_same_type_with_the_runs_context_enters_the_target()
    {
        Assert.Equal(42UL, RunTailCall(callerType: 6, targetType: 6, moveR1By: 0));
    }

    [Theory]
    [InlineData(6u, 3u, 0)]
    [InlineData(6u, 6u, 8)]
    public void Another_type_or_another_r1_faults(uint callerType, uint targetType, int moveR1By)
    {
        var fault = Assert.Throws<ProgramFaultException>(() => RunTailCall(callerType, targetType, moveR1By));
        Assert.Equal((FaultKind.HelperFault, 1), (fault.Kind, fault.InstructionIndex));
    }
}
