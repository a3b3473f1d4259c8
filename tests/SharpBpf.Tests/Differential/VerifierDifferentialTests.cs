using SharpBpf.Kernel;
using SharpBpf.Loader;
using SharpBpf.Runtime;
using SharpBpf.Tests.Kernel;
using SharpBpf.Time;
using SharpBpf.Verifier;

namespace SharpBpf.Tests.Differential;

/// <summary>
/// The timer verifier rules of the spec (R22, R25, R37-R45) and the helper-call rules (call_*), one small program per rule in Data/verifier: Linux
/// rejects each bad object with the error line and instruction index measured in Data/verifier/expected.txt, and
/// SharpBpf must reject it with the same program, summary and index. The ok_* neighbours (timer's neighbouring
/// fields, a branchy callback returning 0, exactly 512 bytes of stack, a callback reading its key and value) are
/// accepted by both and run to the same map contents.
/// </summary>
public class VerifierDifferentialTests
{
    [RecordedKernelTheory(RecordedOn = KernelVerdicts.RecordedOn)]
    [MemberData(nameof(KernelVerdicts.RejectedObjects), MemberType = typeof(KernelVerdicts))]
    public void Linux_rejects_each_bad_object_with_the_measured_error(string objectName)
        => KernelVerdicts.Verifier.AssertLinuxRejects(objectName);

    /// <summary>
    /// libbpf appends the subprograms to the program before the kernel numbers instructions; SharpBpf's linked
    /// slots must be the same numbers, or the indexes of expected.txt would mean other instructions in SharpBpf.
    /// Every "N: (op)" line of the kernel's level-2 log (kept in Data/verifier/kernel-logs) must show the opcode
    /// SharpBpf has in slot N.
    /// </summary>
    [Theory]
    [MemberData(nameof(KernelVerdicts.RejectedObjects), MemberType = typeof(KernelVerdicts))]
    public void Kernel_instruction_numbers_are_SharpBpf_slots(string objectName)
    {
        var expected = KernelVerdicts.Rejected[objectName];
        var slots = ObjectLoader.LoadFile(KernelVerdicts.PathOf(objectName)).FindProgram(expected.Program)!.Instructions;
        var log = File.ReadAllText(Path.Combine(KernelVerdicts.Folder, "kernel-logs", Path.ChangeExtension(objectName, ".level2.txt")));

        var printed = KernelVerdicts.Instructions(log).Distinct().ToList();
        // A rejection before the walk (unreachable code, a map the program type may not use) prints no instruction.
        if (expected.Instruction is not null) Assert.NotEmpty(printed);
        Assert.All(printed, line => Assert.Equal((line.Index, line.Opcode), (line.Index, slots[line.Index].Opcode)));
    }

    [Theory]
    [MemberData(nameof(KernelVerdicts.RejectedObjects), MemberType = typeof(KernelVerdicts))]
    public void SharpBpf_rejects_each_bad_object_as_Linux_does(string objectName)
    {
        var error = Assert.Throws<VerificationException>(() => BpfObject.Load(KernelVerdicts.PathOf(objectName)));
        KernelVerdicts.Verifier.AssertSameRejection(objectName, error.Program, error.Summary, error.InstructionIndex);
    }

    [Theory]
    [MemberData(nameof(KernelVerdicts.RejectedObjects), MemberType = typeof(KernelVerdicts))]
    public void ObjectVerifier_gives_the_kernels_verdict(string objectName)
    {
        var expected = KernelVerdicts.Rejected[objectName];
        var spec = ObjectLoader.LoadFile(KernelVerdicts.PathOf(objectName));
        var result = ObjectVerifier.Verify(spec, spec.FindProgram(expected.Program)!, new VerifierOptions { LogLevel = 1 });
        Assert.False(result.Accepted);
        KernelVerdicts.Verifier.AssertSameRejection(objectName, result.Program, result.Error, result.InstructionIndex);
        Assert.Contains(KernelText.Normalize(expected.Error), KernelText.Normalize(result.Log), StringComparison.Ordinal);
    }

    [KernelTheory]
    [MemberData(nameof(KernelVerdicts.AcceptedObjects), MemberType = typeof(KernelVerdicts))]
    public void Linux_accepts_each_neighbour(string objectName)
    {
        using var kernel = KernelBuildDifferences.OpenOrSkip(KernelVerdicts.PathOf(objectName));
        Assert.NotEmpty(kernel.Programs);
    }

    private static readonly SharpBpf.Helpers.HelperRegistry BuiltInRegistry = SharpBpf.Helpers.BuiltIn.BuiltInHelpers.CreateRegistry();

    // The object's timer service binds bpf_timer_* (169–172) at load; the plain registry leaves them out.
    private static bool IsTimerHelper(int id) => id is >= 169 and <= 172;

    [Theory]
    [MemberData(nameof(KernelVerdicts.AcceptedObjects), MemberType = typeof(KernelVerdicts))]
    public void SharpBpf_accepts_each_neighbour(string objectName)
    {
        var spec = ObjectLoader.LoadFile(KernelVerdicts.PathOf(objectName));
        Assert.All(spec.Programs, program =>
        {
            var result = ObjectVerifier.Verify(spec, program);
            Assert.True(result.Accepted, $"{program.Name}: insn {result.InstructionIndex}: {result.Error}\n{result.Log}");
        });
        // Accepted by the verifier, the object still loads only if SharpBpf implements every helper it calls.
        var unimplemented = spec.Programs.SelectMany(p => p.Instructions)
            .Where(i => i.Opcode == SharpBpf.Isa.Opcodes.Call && i.Src == (byte)SharpBpf.Isa.CallSource.Helper)
            .Select(i => i.Immediate)
            .FirstOrDefault(id => !BuiltInRegistry.TryGet(id, out _) && !IsTimerHelper(id));
        if (unimplemented != 0)
        {
            var refused = Assert.Throws<VerificationException>(() => BpfObject.Load(KernelVerdicts.PathOf(objectName)));
            Assert.Contains($"#{unimplemented} is offered by Linux but not implemented by SharpBpf", refused.Message, StringComparison.Ordinal);
            return;
        }

        using var loaded = BpfObject.Load(KernelVerdicts.PathOf(objectName));
        Assert.Equal(spec.Programs.Select(p => p.Name), loaded.Programs.Select(p => p.Name));
    }

    /// <summary>
    /// Each neighbour arms a timer whose callback touches what the rule allows; after 50 ms (real in Linux, virtual
    /// here) the maps must be byte-identical and the program must have returned 0 (every helper succeeded) in both.
    /// </summary>
    /// <summary>
    /// The timer rules' neighbours (the helper-call, reference and kfunc neighbours, ok_call_*, ok_ref_* and ok_kfunc_*,
    /// arm no timer; the kfunc ones run against Linux in KfuncDifferentialTests).
    /// </summary>
    public static TheoryData<string> TimerNeighbours =>
        [.. KernelVerdicts.Accepted.Where(name => !new[] { "ok_call_", "ok_ref_", "ok_kfunc_" }.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal)))];

    [KernelTheory]
    [MemberData(nameof(TimerNeighbours))]
    public void Each_neighbour_runs_as_in_Linux(string objectName)
    {
        var path = KernelVerdicts.PathOf(objectName);
        using var kernel = KernelBuildDifferences.OpenOrSkip(path);
        var program = Assert.Single(kernel.Programs).Name;
        Assert.Equal(0u, kernel.Programs[program].Run().ReturnValue);
        kernel.WaitRealTime(TimeSpan.FromMilliseconds(50));

        var clock = new VirtualClock();
        using var ours = BpfObject.Load(path, new BpfObjectOptions { Clock = clock });
        Assert.Equal(0ul, ours.Programs[program].Run().ReturnValue);
        clock.Advance(TimeSpan.FromMilliseconds(50));

        var expected = MapContents.Of(kernel.Maps);
        Assert.Equal(expected, MapContents.Of(ours.Maps));
        // The callback must have run: a map that only the program wrote would prove nothing about the callback.
        Assert.NotEqual(MapsRightAfterTheProgram(path, program), expected);
    }

    private static SortedDictionary<string, string> MapsRightAfterTheProgram(string path, string program)
    {
        using var ours = BpfObject.Load(path, new BpfObjectOptions { Clock = new VirtualClock() });
        ours.Programs[program].Run();
        return MapContents.Of(ours.Maps);
    }
}
