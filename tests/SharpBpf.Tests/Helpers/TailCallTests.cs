using SharpBpf.Execution;
using SharpBpf.Helpers;
using SharpBpf.Helpers.BuiltIn;
using SharpBpf.Isa;
using SharpBpf.Maps;
using static SharpBpf.Tests.Helpers.HelperKit;
using static SharpBpf.Tests.Interpreter.Insn;

namespace SharpBpf.Tests.Helpers;

public class TailCallTests
{
    private static readonly HelperRegistry Registry = BuiltInHelpers.CreateRegistry(HelperKit.Environment());

    /// <summary>counter[0] += 1 (array map, u64 value).</summary>
    private static Instruction[] Count(BpfMap counter) => P(
        StW(10, -4, 0), LoadMap(1, counter), StackPointer(2, -4), Call(HelperId.MapLookupElem),
        JeqImm(0, 0, 3), LdxDw(1, 0, 0), Add(1, 1), StxDw(0, 0, 1));

    private static Instruction[] TailCall(BpfMap programs, int index) => P(MovReg(1, 6), LoadMap(2, programs), Mov(3, index), Call(HelperId.TailCall));

    /// <summary>
    /// As <see cref="TailCall"/> with the array's handle as a plain constant, as the loader leaves a relocated map: the
    /// JIT then calls the tail call directly (JitCompiler.TailCalls.cs) instead of through the helper.
    /// </summary>
    private static Instruction[] DirectTailCall(BpfMap programs, int index) =>
        P(MovReg(1, 6), Lddw(2, (ulong)programs.Handle), Mov(3, index), Call(HelperId.TailCall));

    private static Instruction[] TailCall(BpfMap programs, int index, bool direct) => direct ? DirectTailCall(programs, index) : TailCall(programs, index);

    private static ulong ReadCounter(BpfMap counter)
    {
        var value = new byte[8];
        Assert.Equal(Errno.None, counter.Lookup(BitConverter.GetBytes(0), value));
        return BitConverter.ToUInt64(value);
    }

    // Both engines: the JIT calls bpf_tail_call directly when r2 is a program array loaded just before the call.
    private static PreparedProgram Prepare(bool jit, Instruction[] program, HelperRegistry registry, ExecutionMode mode = ExecutionMode.Checked) =>
        jit ? Jit.EngineParity.Jit.Prepare(program, new EngineOptions { Mode = mode, Helpers = registry, InstructionBudget = 10_000_000 })
        : HelperKit.Prepare(program, registry, mode);

    private static PreparedProgram Install(bool jit, ProgramArrayMap programs, uint index, Instruction[] program, ExecutionMode mode = ExecutionMode.Checked)
    {
        var prepared = Prepare(jit, program, Registry, mode);
        Assert.Equal(Errno.None, programs.SetProgram(index, prepared));
        return prepared;
    }

    [Theory]
    [InlineData(ExecutionMode.Checked, false, false)]
    [InlineData(ExecutionMode.Unchecked, false, false)]
    [InlineData(ExecutionMode.Checked, true, false)]
    [InlineData(ExecutionMode.Unchecked, true, false)]
    [InlineData(ExecutionMode.Checked, false, true)]
    [InlineData(ExecutionMode.Unchecked, false, true)]
    [InlineData(ExecutionMode.Checked, true, true)]
    [InlineData(ExecutionMode.Unchecked, true, true)]
    public void A_program_tail_calling_itself_runs_34_times(ExecutionMode mode, bool jit, bool direct)
    {
        using var counter = CreateMap(MapType.Array, 4, 8, 1);
        using var programs = (ProgramArrayMap)CreateMap(MapType.ProgArray, 4, 4, 4);
        var self = Install(jit, programs, 0, P(MovReg(6, 1), Count(counter), TailCall(programs, 0, direct), MovReg(7, 0), Mov(0, 1), Exit()), mode);
        using (EpochManager.Shared.EnterRun())
        {
            Assert.Equal(1UL, self.Run(new RunContext()));
        }

        Assert.Equal(34UL, ReadCounter(counter));
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void The_limit_counts_tail_calls_made_from_subprograms_and_the_target_returns_to_the_subprogram_caller(bool jit, bool direct)
    {
        using var counter = CreateMap(MapType.Array, 4, 8, 1);
        using var programs = (ProgramArrayMap)CreateMap(MapType.ProgArray, 4, 4, 4);
        // B: count; tail call B; r0 = 5; exit.  main: r6 = ctx; call sub; r0 += 1000; exit.  sub: count; tail call B; r0 = 9; exit
        Install(jit, programs, 1, P(Count(counter), TailCall(programs, 1, direct), Mov(0, 5), Exit()));
        var sub = P(Count(counter), TailCall(programs, 1, direct), Mov(0, 9), Exit());
        var main = Prepare(jit, P(MovReg(6, 1), CallLocal(2), Add(0, 1000), Exit(), sub), Registry);
        using (EpochManager.Shared.EnterRun())
        {
            // sub's body, then B 33 times; the last B's tail call fails, it returns 5 to main's call site.
            Assert.Equal(1005UL, main.Run(new RunContext()));
        }

        Assert.Equal(34UL, ReadCounter(counter));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_target_gets_the_context_and_its_result_ends_the_run(bool jit)
    {
        using var programs = (ProgramArrayMap)CreateMap(MapType.ProgArray, 4, 4, 4);
        Install(jit, programs, 2, P(MovReg(0, 1), Add(0, 1), Exit()));
        var caller = Prepare(jit, P(MovReg(6, 1), Mov(1, 0), TailCall(programs, 2), Mov(0, -1), Exit()), Registry);
        using (EpochManager.Shared.EnterRun())
        {
            Assert.Equal(12346UL, caller.Run(new RunContext { R1 = 12345 }));
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_failed_tail_call_falls_through_with_an_error_in_r0(bool jit)
    {
        using var programs = (ProgramArrayMap)CreateMap(MapType.ProgArray, 4, 4, 4);
        var caller = Prepare(jit, P(MovReg(6, 1),
            TailCall(programs, 1), MovReg(8, 0),
            TailCall(programs, 9), AddReg(0, 8), Exit()), Registry);
        using (EpochManager.Shared.EnterRun())
        {
            Assert.Equal((ulong)(2 * Errno.ENOENT.ToHelperResult()), caller.Run(new RunContext()));
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Tail_calls_to_empty_slots_count_toward_the_limit_but_out_of_range_ones_do_not(bool jit)
    {
        using var programs = (ProgramArrayMap)CreateMap(MapType.ProgArray, 4, 4, 4);
        Install(jit, programs, 0, P(Mov(0, 77), Exit()));
        // r7 = attempts left; each round tail-calls an out-of-range index (never counted) then the empty slot 1 (counted)
        static Instruction[] Caller(ProgramArrayMap programs, int emptyCalls) => P(
            MovReg(6, 1), Mov(7, emptyCalls),
            JeqImm(7, 0, 12),
            TailCall(programs, 9), TailCall(programs, 1),
            Add(7, -1), Ja(-13),
            TailCall(programs, 0), Mov(0, -1), Exit());
        using (EpochManager.Shared.EnterRun())
        {
            Assert.Equal(77UL, Prepare(jit, Caller(programs, 32), Registry).Run(new RunContext()));
            Assert.Equal(ulong.MaxValue, Prepare(jit, Caller(programs, 33), Registry).Run(new RunContext()));
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_slot_changed_between_runs_runs_its_new_program(bool jit)
    {
        // The JIT caches a slot's resolved program beside the slot: replacing or deleting the slot must show.
        using var programs = (ProgramArrayMap)CreateMap(MapType.ProgArray, 4, 4, 4);
        var caller = Prepare(jit, P(MovReg(6, 1), TailCall(programs, 0), Mov(0, 7), Exit()), Registry);
        using (EpochManager.Shared.EnterRun())
        {
            Install(jit, programs, 0, P(Mov(0, 1), Exit()));
            Assert.Equal(1UL, caller.Run(new RunContext()));
            Install(jit, programs, 0, P(Mov(0, 2), Exit()));
            Assert.Equal(2UL, caller.Run(new RunContext()));
            Assert.Equal(Errno.None, programs.Delete(BitConverter.GetBytes(0)));
            Assert.Equal(7UL, caller.Run(new RunContext()));
            Install(jit, programs, 0, P(Mov(0, 3), Exit()), ExecutionMode.Unchecked);
            Assert.Equal(7UL, caller.Run(new RunContext()));
        }
    }

    /// <summary>
    /// Each entry ORs r0, r2–r9 and r1 ^ 12345 (the context) into the stack word at r10-16, counts entries at r10-8,
    /// and after the fifth returns that word + the count; before, it dirties every register but r1 and tail-calls slot 0.
    /// </summary>
    private static Instruction[] EntryRegisterProbe(ProgramArrayMap programs, bool direct)
    {
        var or = (int dst, int src) => I(Opcodes.Or64Reg, dst, src);
        var dirty = Enumerable.Range(0, 10).Where(r => r != 1).Select(r => Mov(r, 0x55)).ToArray();
        return P(
            MovReg(6, 0), or(6, 2), or(6, 3), or(6, 4), or(6, 5), or(6, 7), or(6, 8), or(6, 9),
            MovReg(7, 1), I(Opcodes.Xor64Imm, 7, imm: 12345), or(6, 7),
            LdxDw(7, 10, -16), or(7, 6), StxDw(10, -16, 7),
            LdxDw(8, 10, -8), Add(8, 1), StxDw(10, -8, 8),
            JeqImm(8, 5, dirty.Length + 6),
            dirty,
            direct ? Lddw(2, (ulong)programs.Handle) : LoadMap(2, programs), Mov(3, 0), Call(HelperId.TailCall),
            Mov(0, -1), Exit(),
            LdxDw(0, 10, -16), AddReg(0, 8), Exit());
    }

    [Theory]
    [InlineData(ExecutionMode.Checked, false, false)]
    [InlineData(ExecutionMode.Unchecked, false, false)]
    [InlineData(ExecutionMode.Checked, true, false)]
    [InlineData(ExecutionMode.Unchecked, true, false)]
    [InlineData(ExecutionMode.Checked, true, true)]
    [InlineData(ExecutionMode.Unchecked, true, true)]
    public void A_program_tail_calling_itself_starts_again_with_only_the_context_and_its_stack(ExecutionMode mode, bool jit, bool direct)
    {
        // The JIT's direct self tail call jumps to the program's first instruction in the same method: it must enter as
        // the trampoline does (r1 = context, every other register 0, the frame's bytes kept).
        using var programs = (ProgramArrayMap)CreateMap(MapType.ProgArray, 4, 4, 4);
        var self = Install(jit, programs, 0, EntryRegisterProbe(programs, direct), mode);
        using (EpochManager.Shared.EnterRun())
        {
            Assert.Equal(5UL, self.Run(new RunContext { R1 = 12345 }));
            Assert.Equal(5UL, self.Run(new RunContext { R1 = 12345 }));
        }
    }

    [Theory]
    [InlineData(ExecutionMode.Checked, false)]
    [InlineData(ExecutionMode.Unchecked, false)]
    [InlineData(ExecutionMode.Checked, true)]
    [InlineData(ExecutionMode.Unchecked, true)]
    public void A_self_tail_chain_out_of_budget_faults_where_the_interpreter_does(ExecutionMode mode, bool direct)
    {
        using var interpreterPrograms = (ProgramArrayMap)CreateMap(MapType.ProgArray, 4, 4, 4);
        using var jitPrograms = (ProgramArrayMap)CreateMap(MapType.ProgArray, 4, 4, 4);
        var probe = EntryRegisterProbe(interpreterPrograms, direct);
        for (var budget = 1; budget <= 5 * probe.Length; budget++)
        {
            var outcomes = new[] { (interpreterPrograms, false), (jitPrograms, true) }.Select(engine =>
            {
                var (programs, jit) = engine;
                var program = jit
                    ? Jit.EngineParity.Jit.Prepare(EntryRegisterProbe(programs, direct), new EngineOptions { Mode = mode, Helpers = Registry, InstructionBudget = budget })
                    : HelperKit.Prepare(EntryRegisterProbe(programs, direct), Registry, mode, budget);

                Assert.Equal(Errno.None, programs.SetProgram(0, program));
                using (EpochManager.Shared.EnterRun())
                {
                    try
                    {
                        var result = program.Run(new RunContext { R1 = 12345 }, out var executed);
                        return $"r0 = {result}, {executed} executed";
                    }
                    catch (ProgramFaultException fault)
                    {
                        return $"{fault.Kind} at {fault.InstructionIndex}";
                    }
                }
            }).ToArray();
            Assert.Equal(outcomes[0], outcomes[1]);
        }
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void A_callback_tail_calling_its_own_program_runs_it_from_the_start_in_the_callback_frame(bool jit, bool direct)
    {
        // Entered with r1 = 0x1000, the program loops once over its callback (slot 11), which tail-calls the program
        // itself with r1 = 0: that run returns 7, ending the callback and the loop (1 iteration); then r0 + 100.
        using var programs = (ProgramArrayMap)CreateMap(MapType.ProgArray, 4, 4, 4);
        var program = Install(jit, programs, 0, P(
            JneImm(1, 0x1000, 8),
            Mov(1, 1), LoadFunction(2, 8), Mov(3, 0), Mov(4, 0), Call(HelperId.Loop), Add(0, 100), Exit(),
            Mov(0, 7), Exit(),
            TailCall(programs, 0, direct), Mov(0, 1), Exit()));
        using (EpochManager.Shared.EnterRun())
        {
            Assert.Equal(101UL, program.Run(new RunContext { R1 = 0x1000 }));
            Assert.Equal(101UL, program.Run(new RunContext { R1 = 0x1000 }));
        }
    }

    [Theory]
    [InlineData(ExecutionMode.Checked)]
    [InlineData(ExecutionMode.Unchecked)]
    public void A_self_tail_call_reads_the_slot_at_run_time(ExecutionMode mode)
    {
        // The direct self tail call jumps within the method only while the slot holds the program itself.
        using var counter = CreateMap(MapType.Array, 4, 8, 1);
        using var programs = (ProgramArrayMap)CreateMap(MapType.ProgArray, 4, 4, 4);
        var self = Install(true, programs, 0, P(MovReg(6, 1), Count(counter), DirectTailCall(programs, 0), Mov(0, 1), Exit()), mode);
        using (EpochManager.Shared.EnterRun())
        {
            Assert.Equal(1UL, self.Run(new RunContext()));
            Assert.Equal(34UL, ReadCounter(counter));
            Install(true, programs, 0, P(Mov(0, 2), Exit()), mode);
            Assert.Equal(2UL, self.Run(new RunContext()));
            Assert.Equal(35UL, ReadCounter(counter));
            Assert.Equal(Errno.None, programs.Delete(BitConverter.GetBytes(0)));
            Assert.Equal(1UL, self.Run(new RunContext()));
            Assert.Equal(36UL, ReadCounter(counter));
        }
    }

    [Theory]
    [InlineData(ExecutionMode.Checked, false, false)]
    [InlineData(ExecutionMode.Unchecked, false, false)]
    [InlineData(ExecutionMode.Checked, true, false)]
    [InlineData(ExecutionMode.Unchecked, true, false)]
    [InlineData(ExecutionMode.Checked, false, true)]
    [InlineData(ExecutionMode.Unchecked, true, true)]
    public void A_chain_of_33_tail_calls_runs_at_one_dotnet_stack_depth(ExecutionMode mode, bool direct, bool jit)
    {
        // The kernel's tail call is a jump: PreparedProgram.Execute's trampoline enters each target at the depth of the first.
        const int stackDepthHelper = 100_000;
        var depths = new List<int>();
        var registry = BuiltInHelpers.CreateRegistry(HelperKit.Environment()).Register(stackDepthHelper, "test_stack_depth",
            (_, _, _, _, _, _) =>
            {
                depths.Add(new System.Diagnostics.StackTrace().FrameCount);
                return 0;
            });
        using var programs = (ProgramArrayMap)CreateMap(MapType.ProgArray, 4, 4, 4);
        var self = Prepare(jit, P(MovReg(6, 1), CallHelper(stackDepthHelper), TailCall(programs, 0, direct), Mov(0, 1), Exit()), registry, mode);
        Assert.Equal(Errno.None, programs.SetProgram(0, self));
        using (EpochManager.Shared.EnterRun())
        {
            Assert.Equal(1UL, self.Run(new RunContext()));
        }

        Assert.Equal(34, depths.Count);
        // The JIT's direct self tail call does not even return to the trampoline: the first entry's depth too.
        Assert.Single((jit && direct ? depths : depths.Skip(1)).Distinct());
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void A_tail_call_from_a_bpf_loop_callback_ends_the_callback_and_the_caller_goes_on_as_itself(bool jit, bool direct)
    {
        using var counter = CreateMap(MapType.Array, 4, 8, 1);
        using var programs = (ProgramArrayMap)CreateMap(MapType.ProgArray, 4, 4, 4);
        // Linux's verifier rejects a tail call in a callback (docs/verifier.md); an unverified checked run still gets a
        // defined result. The target counts and returns 0 (the loop goes on); the callback returns 1 (stop) only if
        // its tail call fails. The second loop finds its callback only if the caller's program was restored.
        Install(jit, programs, 0, P(Count(counter), Mov(0, 0), Exit()));
        var main = Prepare(jit, P(
            MovReg(6, 1),
            Mov(1, 3), LoadFunction(2, 13), Mov(3, 0), Mov(4, 0), Call(HelperId.Loop), // slots 1-6
            MovReg(8, 0),
            Mov(1, 2), LoadFunction(2, 6), Mov(3, 0), Mov(4, 0), Call(HelperId.Loop), // slots 8-13: the callback again
            AddReg(0, 8), Exit(),
            TailCall(programs, 0, direct), Mov(0, 1), Exit()), Registry); // slot 16: the callback
        using (EpochManager.Shared.EnterRun())
        {
            // Both loops ran every iteration through the target; the second found its callback in main again.
            Assert.Equal(5UL, main.Run(new RunContext()));
        }

        Assert.Equal(5UL, ReadCounter(counter));
    }
}
