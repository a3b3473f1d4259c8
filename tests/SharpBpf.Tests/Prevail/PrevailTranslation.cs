using SharpBpf.Isa;
using SharpBpf.Loader;

namespace SharpBpf.Tests.Prevail;

/// <summary>
/// A PREVAIL case as a Linux program: a prologue that builds the case's entry state from Linux's (r1 = context,
/// r10 = frame pointer), the case's code, and the exits it needs. <see cref="Assembly"/> is the text given to
/// SharpBpf's assembler; map loads (<c>lddw map_fd 0</c>) name the one map every case shares.
/// </summary>
internal sealed record PrevailProgram(PrevailCase Case, ProgramType Type, string Assembly, Instruction[] Instructions)
{
    /// <summary>Slots of the <c>lddw</c>s that load the shared map or the address of its value.</summary>
    public IEnumerable<int> MapSlots => Slots().Where(pc => Instructions[pc].IsLoadImm64
        && Instructions[pc].Src is (byte)LoadImm64Source.MapFd or (byte)LoadImm64Source.MapValue);

    /// <summary>Where each function starts: the main program at 0, then every target of a local call, in order.</summary>
    public IEnumerable<int> FunctionStarts => new[] { 0 }.Concat(Slots()
        .Where(pc => Instructions[pc].Opcode == Opcodes.Call && Instructions[pc].Src == (byte)CallSource.Local)
        .Select(pc => pc + 1 + Instructions[pc].Immediate)).Distinct().Order();

    private IEnumerable<int> Slots()
    {
        for (var pc = 0; pc < Instructions.Length; pc += Instructions[pc].IsLoadImm64 ? 2 : 1)
        {
            yield return pc;
        }
    }
}

/// <summary>Either the case as a Linux program, or why it does not apply to Linux.</summary>
internal sealed record PrevailTranslation(PrevailCase Case, PrevailProgram? Program, string? SkipReason);
