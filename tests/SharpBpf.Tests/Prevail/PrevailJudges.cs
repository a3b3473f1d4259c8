using System.Collections.Frozen;
using System.Text;
using SharpBpf.Isa;
using SharpBpf.Kernel;
using SharpBpf.Kernel.Internal;
using SharpBpf.Maps;
using SharpBpf.Runtime;
using SharpBpf.Runtime.Contexts;
using SharpBpf.Verifier;

namespace SharpBpf.Tests.Prevail;

/// <summary>A verdict as the corpus files record it: accepted, or the reason line and its instruction.</summary>
internal readonly record struct PrevailVerdict(bool Accepted, int? Instruction, string? Reason);

/// <summary>
/// SharpBpf's and this machine's Linux verdicts on a translated PREVAIL case. Both see the same program type and one
/// hash map with 4-byte keys and values and 4 entries (PREVAIL's fixed environment), loaded without BTF.
/// </summary>
internal static class PrevailJudges
{
    private static readonly VerifierMap Map = new("prevail", MapType.Hash, 4, 4, [], HasBtf: false, MaxEntries: 4);

    public static PrevailVerdict SharpBpf(PrevailProgram program)
    {
        var references = program.MapSlots.ToFrozenDictionary(s => s, s => program.Instructions[s].Src == (byte)LoadImm64Source.MapValue
            ? new VerifierMapReference(Map, true, program.Instructions[s + 1].Immediate)
            : new VerifierMapReference(Map, false, 0));
        var input = new VerifierInput
        {
            ProgramName = program.Case.Id,
            Instructions = [.. program.Instructions],
            Functions = [.. program.FunctionStarts.Select((start, i) => new VerifierFunction(i == 0 ? "main" : $"f{i}", start, false))],
            MapReferences = references,
            Context = VerifierContexts.For(program.Type),
            Helpers = ObjectVerifier.SignaturesOf(null),
            ProgramType = (uint)program.Type,
        };
        try
        {
            var result = ProgramVerifier.Verify(input, new VerifierOptions { LogLevel = 1 });
            return new PrevailVerdict(result.Accepted, result.InstructionIndex, result.Error);
        }
        catch (BpfException e)
        {
            return new PrevailVerdict(false, null, e.Message);
        }
    }

    /// <summary>Loads the program with BPF_PROG_LOAD (needs root) and reads the verifier's reason as the other corpora do.</summary>
    public static PrevailVerdict Linux(PrevailProgram program)
    {
        var map = BpfSyscall.CreateMap(BpfSyscall.MapTypeHash, 4, 4, 4);
        if (map < 0) throw new InvalidOperationException($"BPF_MAP_CREATE failed: errno {-map}");
        try
        {
            var code = program.Instructions.ToArray();
            foreach (var slot in program.MapSlots)
            {
                code[slot] = code[slot].WithImmediate(map);
            }

            var log = new byte[1 << 20];
            var fd = BpfSyscall.LoadProgram((int)program.Type, code.Select(i => i.RawValue).ToArray(), log);
            if (fd >= 0)
            {
                LibC.Close(fd);
                return new PrevailVerdict(true, null, null);
            }

            var text = Encoding.ASCII.GetString(log, 0, Math.Max(0, Array.IndexOf(log, (byte)0)));
            var (reason, instruction) = KernelVerifierLog.ReasonOf(text);
            return new PrevailVerdict(false, instruction, reason ?? $"BPF_PROG_LOAD failed: errno {-fd}");
        }
        finally
        {
            LibC.Close(map);
        }
    }
}
