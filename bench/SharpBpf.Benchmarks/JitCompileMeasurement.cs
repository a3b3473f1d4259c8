using System.Diagnostics;
using System.Globalization;
using System.Text;
using SharpBpf.Asm;
using SharpBpf.Interpreter;
using SharpBpf.Jit;

namespace SharpBpf.Benchmarks;

/// <summary>
/// <c>jit-compile</c>: how JIT compile time grows with program size (issue 10 item 4). Programs of N instructions in
/// blocks of ALU work, a memory access and a forward branch (the shape clang emits for parsers), prepared by the JIT and
/// by the interpreter (decode only) in a fresh process each size is not needed: best of 3 per size.
/// </summary>
internal static class JitCompileMeasurement
{
    /// <param name="args">Optional: <c>--chunk N</c> (slots per method of a split program), <c>--split-above N</c>.</param>
    public static int Run(string[] args, TextWriter output)
    {
        var options = new JitEngineOptions();
        for (var i = 0; i < args.Length; i++)
        {
            options = args[i] switch
            {
                "--chunk" => options with { ChunkSize = int.Parse(args[++i], CultureInfo.InvariantCulture) },
                "--split-above" => options with { SplitAbove = int.Parse(args[++i], CultureInfo.InvariantCulture) },
                _ => throw new ArgumentException($"jit-compile: unknown option {args[i]} (--chunk, --split-above)"),
            };
        }

        using var tiers = new JitTierListener();
        output.WriteLine($"{"instructions",12} {"JIT ms",10} {"µs/insn",8} {"interp ms",10} {"methods",8} {"minopts",8} {"run µs",8}");
        foreach (var size in new[] { 1_000, 2_000, 5_000, 10_000, 20_000, 30_000, 60_000 })
        {
            var program = Assembler.Assemble(Source(size));
            tiers.TakeCounts();
            var jit = Best(() => new JitEngine(options).Prepare(program));
            var prepared = new JitEngine(options).Prepare(program);
            var run = Best(() => prepared.Run([]), rounds: 50) * 1000;
            Thread.Sleep(100);
            var (optimized, minOpts) = tiers.TakeCounts();
            var interpreter = Best(() => new InterpreterEngine().Prepare(program));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{program.Length,12} {jit,10:F1} {jit * 1000 / program.Length,8:F2} {interpreter,10:F1} {(optimized + minOpts) / 4,8} {minOpts / 4,8} {run,8:F1}"));
        }

        return 0;
    }

    private static string Source(int size)
    {
        var text = new StringBuilder("mov %r0, 0\nmov %r2, %r10\nadd %r2, -8\nstdw [%r10-8], 0\n");
        var written = 4;
        for (var block = 0; written + 8 < size; block++)
        {
            text.Append(CultureInfo.InvariantCulture, $"add %r0, {block & 0xff}\n");
            text.Append("mov %r3, %r0\n");
            text.Append(CultureInfo.InvariantCulture, $"xor %r3, {block * 7 & 0xfff}\n");
            text.Append("ldxdw %r4, [%r10-8]\n");
            text.Append("add %r4, %r3\n");
            text.Append("stxdw [%r10-8], %r4\n");
            text.Append(CultureInfo.InvariantCulture, $"jgt %r3, {block & 0x3ff}, +1\n");
            text.Append("add %r0, 1\n");
            written += 8;
        }

        text.Append("exit\n");
        return text.ToString();
    }

    private static double Best(Action action, int rounds = 3)
    {
        var best = double.MaxValue;
        for (var i = 0; i < rounds; i++)
        {
            var start = Stopwatch.GetTimestamp();
            action();
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        return best;
    }
}
