using System.Runtime.InteropServices;
using CsCheck;
using SharpBpf.Execution;
using SharpBpf.Helpers;
using SharpBpf.Isa;
using Xunit.Abstractions;

namespace SharpBpf.Tests.Jit;

/// <summary>
/// Random valid programs on both engines in checked mode with small budgets: identical r0, instruction count, memory,
/// or identical fault (kind, index, address, size, message). Programs that ran without a memory fault also run in
/// unchecked mode on both engines, which must reproduce the checked outcome.
/// </summary>
[Collection(nameof(EngineParityCollection))]
public class RandomParityTests(ITestOutputHelper output)
{
    private static readonly HelperRegistry Helpers = new HelperRegistry()
        // Mixes in the call's position and the budget left, so both engines must publish them identically.
        .Register(1, "mix", (ctx, r1, r2, _, _, _) =>
            (r1 * 31) ^ r2 ^ ((ulong)ctx.InstructionIndex << 48) ^ ((ulong)((ExecutionState)ctx).Remaining << 20))
        .Register(3, "callback", (ctx, r1, r2, _, _, _) => ctx.InvokeSubprogram(r1, r2, 5) + 1);

    [Fact]
    public void Random_programs_behave_identically_on_both_engines()
    {
        var counts = new int[4]; // finished, memory fault, budget fault, other fault
        Gen.Select(Gen.UInt.Array[8, 400], Gen.Int[1, 300], Gen.Int[0, 15], Gen.Byte.Array[RandomProgram.BufferSize])
            .Sample((words, budget, flags, initial) =>
            {
                var program = RandomProgram.Build(words);
                Assert.Null(ProgramValidator.FindFirstError(program));
                var withPacket = (flags & 1) != 0;
                var entry = (flags & 6) == 0 ? InstructionStart(program, (int)(words[0] % (uint)program.Length)) : 0;
                var checkedOptions = new EngineOptions { Mode = ExecutionMode.Checked, Helpers = Helpers, InstructionBudget = budget };
                var buffer = GC.AllocateArray<byte>(RandomProgram.BufferSize, pinned: true);
                var outcome = EngineParity.Both(program, checkedOptions, initial, address => Context(address, withPacket, entry), buffer);
                lock (counts)
                {
                    counts[outcome.Kind switch
                    {
                        null => 0,
                        FaultKind.InstructionBudgetExhausted => 2,
                        _ when outcome.IsMemoryFault => 1,
                        _ => 3,
                    }]++;
                }

                if (!outcome.IsMemoryFault)
                {
                    var uncheckedOptions = checkedOptions with { Mode = ExecutionMode.Unchecked };
                    var uncheckedOutcome = EngineParity.Both(program, uncheckedOptions, initial, address => Context(address, withPacket, entry), buffer);
                    Assert.Equal(outcome.ToString(), uncheckedOutcome.ToString());
                }
            }, iter: 3000, threads: 1);

        output.WriteLine($"finished {counts[0]}, memory faults {counts[1]}, budget faults {counts[2]}, other faults {counts[3]}");

        // The generator must exercise every kind of ending, or the comparison proves little.
        Assert.All(counts, count => Assert.True(count > 100, $"outcome mix too thin: {string.Join(", ", counts)}"));
    }

    /// <summary>The instruction start at or before <paramref name="slot"/> (an entry anywhere, also mid-segment).</summary>
    private static int InstructionStart(Instruction[] program, int slot)
    {
        var start = 0;
        for (var pc = 0; pc <= slot; pc += program[pc].IsLoadImm64 ? 2 : 1)
        {
            start = pc;
        }

        return start;
    }

    /// <summary>r1 = the buffer (read-write except its read-only tail, which r3 points at), r2 = its length.</summary>
    private static RunContext Context(ulong address, bool withPacket, int entry)
    {
        var context = new RunContext { EntrySlot = entry, R1 = address, R2 = RandomProgram.BufferSize, R3 = address + RandomProgram.BufferSize - RandomProgram.ReadOnlyTail }
            .AddRegion((nint)address, RandomProgram.BufferSize - RandomProgram.ReadOnlyTail, MemoryAccess.ReadWrite, RegionKind.Input)
            .AddRegion((nint)(address + RandomProgram.BufferSize - RandomProgram.ReadOnlyTail), RandomProgram.ReadOnlyTail, MemoryAccess.Read);
        if (withPacket)
        {
            context.Packet = new MemoryRegion(address, 32, MemoryAccess.Read, RegionKind.Packet);
        }

        return context;
    }
}
