using System.Runtime.InteropServices;
using SharpBpf.Execution;
using SharpBpf.Interpreter;
using SharpBpf.Isa;
using SharpBpf.Jit;

namespace SharpBpf.Tests.Jit;

/// <summary>What one run produced, comparable across engines: r0 and the instruction count, or the fault; plus memory.</summary>
internal sealed record Outcome(ulong? R0, long Executed, FaultKind? Kind, int Index, ulong Address, int Size, string? Message, string Memory)
{
    public bool IsMemoryFault => Kind is FaultKind.OutOfBoundsRead or FaultKind.OutOfBoundsWrite or FaultKind.ReadOnlyWrite or FaultKind.MisalignedAtomic;

    public override string ToString() => Kind is null
        ? $"r0=0x{R0:x} executed={Executed} memory={Memory}"
        : $"{Kind} at {Index} address=0x{Address:x} size={Size} ({Message}) memory={Memory}";
}

/// <summary>
/// Runs a program on the interpreter and on the JIT against the same pinned buffer (reset before each run), so fault
/// addresses compare exactly. Stack addresses match because both runs rent the same pooled stack block in turn — the
/// tests that use this run in a collection without parallelism.
/// </summary>
internal static class EngineParity
{
    public static readonly InterpreterEngine Interpreter = InterpreterEngine.Instance;
    public static readonly JitEngine Jit = new();

    /// <summary>The JIT with every program split into chunks of at most 4 slots, so every jump, call and entry crosses methods.</summary>
    public static readonly JitEngine SplitJit = new(new JitEngineOptions { SplitAbove = 0, ChunkSize = 4 });

    public static unsafe Outcome Run(IExecutionEngine engine, Instruction[] program, EngineOptions options, byte[] pinnedBuffer,
        ReadOnlySpan<byte> initial, Func<ulong, RunContext>? context = null)
    {
        initial.CopyTo(pinnedBuffer);
        var prepared = engine.Prepare(program, options);
        var address = (ulong)Marshal.UnsafeAddrOfPinnedArrayElement(pinnedBuffer, 0);
        try
        {
            ulong r0;
            long executed = -1;
            if (context is null)
            {
                r0 = prepared.Run(pinnedBuffer.AsSpan(0, initial.Length));
            }
            else
            {
                r0 = prepared.Run(context(address), out executed);
            }

            return new Outcome(r0, executed, null, 0, 0, 0, null, Convert.ToHexString(pinnedBuffer, 0, initial.Length));
        }
        catch (ProgramFaultException fault)
        {
            return new Outcome(null, -1, fault.Kind, fault.InstructionIndex, fault.Address, fault.Size, fault.Message,
                Convert.ToHexString(pinnedBuffer, 0, initial.Length));
        }
    }

    /// <summary>Runs on the interpreter, the JIT and the split JIT, asserts identical outcomes, returns the interpreter's.</summary>
    public static Outcome Both(Instruction[] program, EngineOptions options, ReadOnlySpan<byte> initial, Func<ulong, RunContext>? context = null,
        byte[]? pinnedBuffer = null)
    {
        var buffer = pinnedBuffer ?? GC.AllocateArray<byte>(Math.Max(initial.Length, 1), pinned: true);
        var reference = Run(Interpreter, program, options, buffer, initial, context);
        foreach (var (name, engine) in new[] { ("jit", Jit), ("split jit", SplitJit) })
        {
            var jit = Run(engine, program, options, buffer, initial, context);
            if (reference.ToString() != jit.ToString())
            {
                var again = Run(Interpreter, program, options, buffer, initial, context);
                var jitAgain = Run(engine, program, options, buffer, initial, context);
                Assert.Fail($"interpreter {reference}\n{name} {jit}\nagain: interpreter {again}\n{name} {jitAgain}\n{options}\n"
                    + string.Join("\n", program.Select((insn, i) => $"{i}: {insn}")));
            }
        }

        return reference;
    }
}

[CollectionDefinition(nameof(EngineParityCollection), DisableParallelization = true)]
public sealed class EngineParityCollection;
