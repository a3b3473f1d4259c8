using SharpBpf.Interpreter;
using SharpBpf.Isa;
using SharpBpf.Tests.Support;
using static SharpBpf.Tests.Interpreter.Insn;

namespace SharpBpf.Tests.Interpreter;

public class ConcurrencyTests
{
    [Fact]
    public void One_prepared_program_runs_on_four_threads_with_independent_state()
    {
        // Sums the input bytes through a stack slot and a local call, then writes the sum back into the input.
        var program = P(
            MovReg(6, 1), MovReg(7, 2), I(Opcodes.StDw, 10, 0, -8, 0),
            I(Opcodes.JeqImm, 7, 0, 7, 0),                                    // slot 3: loop while r7 != 0
            I(Opcodes.LdxB, 1, 6, 0), MovReg(2, 10), Add(2, -8), CallLocal(8),  // slot 7 → 16
            Add(6, 1), Add(7, -1), I(Opcodes.Ja, off: -8),
            I(Opcodes.LdxDw, 0, 10, -8), I(Opcodes.StxDw, 6, 0, -8),          // slot 11
            Exit(),
            Exit(), Exit(),                                                   // slots 14–15: padding
            I(Opcodes.AtomicDw, 2, 1, 0, (int)AtomicOperation.Add), Exit());  // slot 16: *r2 += r1
        var prepared = InterpreterEngine.Instance.Prepare(program, Options());
        var failures = 0;
        var threads = CheckedThread.StartAll(4, index =>
        {
            var t = index + 1;
            for (var i = 0; i < 300; i++)
            {
                var input = new byte[8 + (t * 8)];
                for (var j = 0; j < input.Length; j++) input[j] = (byte)(t * 10 + j + i);
                var expected = input.Aggregate(0UL, (sum, b) => sum + b);
                var result = prepared.Run(input);
                if (result != expected || BitConverter.ToUInt64(input, input.Length - 8) != expected)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        });
        CheckedThread.JoinAll(threads);
        Assert.Equal(0, failures);
    }
}
