using SharpBpf.Maps;
using SharpBpf.Verifier;
using static SharpBpf.Tests.Verifier.VerifierHarness;

namespace SharpBpf.Tests.Verifier;

/// <summary>
/// Reference tracking of ring buffer records on hand-written programs, with the messages Linux 6.18.44 gave for the
/// ref_* objects of Data/verifier: a reservation holds a reference until submit, discard or a NULL result; a program
/// may not exit or tail-call holding one; released records are numbers; references count when pruning.
/// </summary>
public class ReferenceTrackingVerifierTests
{
    private static readonly VerifierMap Events = new("events", MapType.Ringbuf, 0, 0, []);
    private static readonly VerifierMap Stages = new("stages", MapType.ProgArray, 4, 4, []);
    private static readonly VerifierMap Locked =
        new("locked", MapType.Hash, 4, 32, [new(SharpBpf.Btf.SpecialFieldKind.SpinLock, 24, 4)]);

    /// <summary>Reserves an 8-byte record into r6 (slots 0–8), leaving the program when the reservation fails.</summary>
    private const string ReserveIntoR6 = """
        lddw %r1, map_fd 0
        mov %r2, 8
        mov %r3, 0
        call 131
        jne %r0, 0, +2
        mov %r0, 0
        exit
        mov %r6, %r0
        """ + "\n";

    private const string SubmitR6 = """
        mov %r1, %r6
        mov %r2, 0
        call 132
        """ + "\n";

    private static VerificationResult Run(string main, params string[] functions) =>
        VerifierHarness.Verify(main, functions, [Events, Stages, Locked], options: new VerifierOptions { LogLevel = 1 });

    private static (string? Error, int? Instruction) Verdict(VerificationResult result) => (result.Error, result.InstructionIndex);

    [Fact]
    public void A_record_must_be_submitted_or_discarded_before_the_program_exits()
    {
        Assert.True(Run(ReserveIntoR6 + "stdw [%r6+0], 1\n" + SubmitR6 + "mov %r0, 0\nexit").Accepted);
        Assert.True(Run(ReserveIntoR6 + "mov %r1, %r6\nmov %r2, 0\ncall 133\nmov %r0, 0\nexit").Accepted);

        var leak = Run(ReserveIntoR6 + "stdw [%r6+0], 1\nmov %r0, 0\nexit");
        Assert.Equal(("BPF_EXIT instruction in main prog would lead to reference leak", (int?)11), Verdict(leak));
        // The kernel names the reference and the reservation's instruction on the line before.
        Assert.Matches(@"Unreleased reference id=2 alloc_insn=4\nBPF_EXIT instruction in main prog would lead to reference leak", leak.Log);
    }

    [Fact]
    public void The_lock_is_reported_before_the_leaked_record()
    {
        // r7 = the locked value, then a record in r6, then the lock taken: the exit holds both.
        const string Program = """
            stw [%r10-4], 0
            mov %r2, %r10
            add %r2, -4
            lddw %r1, map_fd 2
            call 1
            jne %r0, 0, +2
            mov %r0, 0
            exit
            mov %r7, %r0
            """ + "\n" + ReserveIntoR6 + """
            mov %r1, %r7
            add %r1, 24
            call 93
            mov %r0, 0
            exit
            """;
        Assert.Equal("BPF_EXIT instruction in main prog cannot be used inside bpf_spin_lock-ed region", Run(Program).Error);
    }

    [Fact]
    public void A_submitted_record_is_a_number_in_every_register_and_stack_slot()
    {
        var reread = Run(ReserveIntoR6 + "mov %r7, %r6\n" + SubmitR6 + "ldxw %r0, [%r7+0]\nexit");
        Assert.Equal(("R7 invalid mem access 'scalar'", (int?)13), Verdict(reread));

        var spilled = Run(ReserveIntoR6 + "stxdw [%r10-8], %r6\n" + SubmitR6 + "ldxdw %r1, [%r10-8]\nstw [%r1+0], 1\nmov %r0, 0\nexit");
        Assert.Equal(("R1 invalid mem access 'scalar'", (int?)14), Verdict(spilled));

        var twice = Run(ReserveIntoR6 + SubmitR6 + SubmitR6 + "mov %r0, 0\nexit");
        Assert.Equal(("R1 type=scalar expected=ringbuf_mem", (int?)14), Verdict(twice));
    }

    [Fact]
    public void Only_the_checked_record_itself_may_be_released()
    {
        var maybeNull = Run("""
            lddw %r1, map_fd 0
            mov %r2, 8
            mov %r3, 0
            call 131
            mov %r1, %r0
            mov %r2, 0
            call 132
            mov %r0, 0
            exit
            """);
        Assert.Equal(("R1 type=ringbuf_mem_or_null expected=ringbuf_mem", (int?)7), Verdict(maybeNull));

        var field = Run(ReserveIntoR6 + "mov %r1, %r6\nadd %r1, 4\nmov %r2, 0\ncall 132\nmov %r0, 0\nexit");
        Assert.Equal(("R1 must have zero offset when passed to release func or trusted arg to kfunc", (int?)12), Verdict(field));

        var stack = Run("mov %r1, %r10\nadd %r1, -8\nmov %r2, 0\ncall 132\nmov %r0, 0\nexit");
        Assert.Equal(("R1 type=fp expected=ringbuf_mem", (int?)3), Verdict(stack));
    }

    [Fact]
    public void Accesses_stay_inside_the_reserved_size()
    {
        Assert.True(Run(ReserveIntoR6 + "stw [%r6+4], 1\n" + SubmitR6 + "mov %r0, 0\nexit").Accepted);

        var past = Run(ReserveIntoR6 + "stw [%r6+8], 1\n" + SubmitR6 + "mov %r0, 0\nexit");
        Assert.Equal(("R6 min value is outside of the allowed memory range", (int?)9), Verdict(past));
        Assert.Contains("invalid access to memory, mem_size=8 off=8 size=4\n", past.Log, StringComparison.Ordinal);

        var maybeNull = Run("lddw %r1, map_fd 0\nmov %r2, 8\nmov %r3, 0\ncall 131\nstw [%r0+0], 1\nmov %r0, 0\nexit");
        Assert.Equal(("R0 invalid mem access 'ringbuf_mem_or_null'", (int?)5), Verdict(maybeNull));
    }

    [Fact]
    public void The_size_must_be_a_known_constant()
    {
        var result = Run("call 7\nmov %r2, %r0\nand %r2, 7\nadd %r2, 8\nlddw %r1, map_fd 0\nmov %r3, 0\ncall 131\nmov %r0, 0\nexit");
        Assert.Equal(("R2 is not a known constant'", (int?)7), Verdict(result));
    }

    /// <summary>
    /// The fall-through reserves 16 bytes and writes at 12; the other side reaches the same join with 8. The size is
    /// precise once the reservation relied on it, so the join's checkpoint does not prune the 8-byte path.
    /// </summary>
    [Fact]
    public void The_reserved_size_is_precise_at_earlier_checkpoints()
    {
        const string Program = """
            call 7
            mov %r2, 8
            jne %r0, 0, +6
            mov %r2, 16
            mov %r4, 0
            mov %r4, 0
            mov %r4, 0
            mov %r4, 0
            mov %r4, 0
            lddw %r1, map_fd 0
            mov %r3, 0
            call 131
            jne %r0, 0, +2
            mov %r0, 0
            exit
            stw [%r0+12], 1
            mov %r1, %r0
            mov %r2, 0
            call 132
            mov %r0, 0
            exit
            """;
        Assert.Equal(("R0 min value is outside of the allowed memory range", (int?)16), Verdict(Run(Program)));
    }

    /// <summary>
    /// The fall-through submits, the other side does not; at the join the record's register is dead, so only the
    /// references held tell the two states apart. Pruning must not treat them as equivalent. (The moves make the
    /// submitting path long enough for a checkpoint at the join, as the kernel would keep one.)
    /// </summary>
    [Fact]
    public void A_state_holding_a_reference_is_not_pruned_by_one_that_released_it()
    {
        const string Program = """
            call 7
            mov %r7, %r0
            lddw %r1, map_fd 0
            mov %r2, 8
            mov %r3, 0
            call 131
            jne %r0, 0, +2
            mov %r0, 0
            exit
            mov %r6, %r0
            stdw [%r6+0], 1
            jeq %r7, 0, +9
            mov %r4, 0
            mov %r4, 0
            mov %r4, 0
            mov %r4, 0
            mov %r4, 0
            mov %r4, 0
            mov %r1, %r6
            mov %r2, 0
            call 132
            mov %r0, 0
            exit
            """;
        Assert.Equal(("BPF_EXIT instruction in main prog would lead to reference leak", (int?)23), Verdict(Run(Program)));
    }

    [Fact]
    public void A_tail_call_may_not_be_made_holding_a_record()
    {
        const string TailCall = "mov %r1, %r9\nlddw %r2, map_fd 1\nmov %r3, 0\ncall 12\n";
        Assert.True(Run("mov %r9, %r1\n" + TailCall + "mov %r0, 0\nexit").Accepted);
        var result = Run("mov %r9, %r1\n" + ReserveIntoR6 + TailCall + SubmitR6 + "mov %r0, 0\nexit");
        Assert.Equal(("tail_call would lead to reference leak", (int?)14), Verdict(result));
    }

    [Fact]
    public void References_outlive_subprograms_and_are_checked_where_the_program_ends()
    {
        // The subprogram reserves and returns: its exit is not checked, the main program's is.
        const string Reserving = """
            lddw %r1, map_fd 0
            mov %r2, 8
            mov %r3, 0
            call 131
            mov %r0, 0
            exit
            """;
        var leak = Run("call local +1\nmov %r0, 0\nexit", Reserving);
        Assert.Equal(("BPF_EXIT instruction in main prog would lead to reference leak", (int?)2), Verdict(leak));

        // A subprogram may release the record its caller reserved.
        const string Submitting = "mov %r2, 0\ncall 132\nmov %r0, 0\nexit";
        Assert.True(Run(ReserveIntoR6 + "mov %r1, %r6\ncall local +1\nmov %r0, 0\nexit", Submitting).Accepted);
    }
}
