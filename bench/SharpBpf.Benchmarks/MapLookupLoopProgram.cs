using System.Collections.Frozen;
using SharpBpf.Asm;
using SharpBpf.Execution;
using SharpBpf.Helpers.BuiltIn;
using SharpBpf.Isa;
using SharpBpf.Maps;
using SharpBpf.Runtime;
using SharpBpf.Runtime.Contexts;
using SharpBpf.Verifier;

namespace SharpBpf.Benchmarks;

/// <summary>
/// A map-lookup loop, verified so proven-unchecked mode has its proofs: 64 times, look key i % 4 up in an ARRAY
/// (value: 4 u64 counters), NULL-check it, then read, add and write back counter i % 4 of the value (a variable
/// offset) and read and write the last one. Per iteration: 2 stack accesses, 4 value accesses, one helper call.
/// </summary>
internal sealed class MapLookupLoopProgram : IDisposable
{
    public const int Iterations = 64;

    private const string Source = """
        mov %r6, 0
        mov %r7, 0
        mov %r9, %r6
        and %r9, 3
        stxw [%r10-4], %r9
        mov %r2, %r10
        add %r2, -4
        lddw %r1, map_fd 0
        call 1
        jeq %r0, 0, +10
        mov %r8, %r0
        mov %r1, %r9
        lsh %r1, 3
        add %r0, %r1
        ldxdw %r2, [%r0+0]
        add %r2, %r6
        stxdw [%r0+0], %r2
        add %r7, %r2
        ldxdw %r3, [%r8+24]
        stxdw [%r8+24], %r7
        add %r6, 1
        jlt %r6, 64, -21
        mov %r0, %r7
        exit
        """;

    private readonly BpfMap _map = BpfMap.Create(new MapDefinition("counters", MapType.Array, 4, 32, 4));

    /// <summary>The program verified, linked to the live map, and prepared by <paramref name="engine"/> in <paramref name="mode"/>.</summary>
    public PreparedProgram Prepare(IExecutionEngine engine, ExecutionMode mode, out int provenAccesses)
    {
        var code = Assembler.Assemble(Source);
        var verifierMap = new VerifierMap("counters", MapType.Array, 4, 32, [], MaxEntries: 4);
        var verdict = ProgramVerifier.Verify(new VerifierInput
        {
            ProgramName = "map_lookup_loop",
            Instructions = [.. code],
            Functions = [new VerifierFunction("main", 0, false)],
            MapReferences = new Dictionary<int, VerifierMapReference> { [7] = new(verifierMap, false, 0) }.ToFrozenDictionary(),
            Context = VerifierContexts.For(Loader.ProgramType.Xdp),
            Helpers = ObjectVerifier.SignaturesOf(null),
            ProgramType = (uint)Loader.ProgramType.Xdp,
            IsGplCompatible = true,
        });
        if (!verdict.Accepted)
        {
            throw new InvalidOperationException($"the map-lookup loop was rejected: {verdict.Log}");
        }

        code[7] = new Instruction(Opcodes.Lddw, 1, 0, 0, (int)(uint)(ulong)_map.Handle);
        code[8] = new Instruction(0, 0, 0, 0, (int)(uint)((ulong)_map.Handle >> 32));
        var proven = verdict.ProvenSlots.ToArray();
        provenAccesses = proven.Length;
        return engine.Prepare(code, new EngineOptions
        {
            Mode = mode,
            Helpers = BuiltInHelpers.CreateRegistry(),
            ProvenAccesses = new ProvenAccesses(proven, code.Length, (uint)Loader.ProgramType.Xdp),
        });
    }

    public void Dispose() => _map.Dispose();
}
