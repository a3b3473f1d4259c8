using SharpBpf.Isa;

namespace SharpBpf.Tests.Soundness;

/// <summary>Instructions with forward and backward labels, for generated programs.</summary>
internal sealed class ProgramBuilder
{
    private readonly List<Instruction> _code = [];
    private readonly List<(int Slot, int Label)> _fixups = [];
    private readonly List<(int Slot, int Label)> _callFixups = [];
    private readonly List<int> _labels = [];

    public int Count => _code.Count;

    public int NewLabel()
    {
        _labels.Add(-1);
        return _labels.Count - 1;
    }

    public void Mark(int label) => _labels[label] = _code.Count;

    public void Emit(byte opcode, int dst = 0, int src = 0, int off = 0, int imm = 0) =>
        _code.Add(new Instruction(opcode, (byte)dst, (byte)src, (short)off, imm));

    /// <summary>A conditional or plain jump whose offset is filled in when <see cref="Build"/> knows the label.</summary>
    public void Jump(byte opcode, int dst, int src, int imm, int label)
    {
        _fixups.Add((_code.Count, label));
        Emit(opcode, dst, src, 0, imm);
    }

    /// <summary>A bpf-to-bpf call (src=1) whose immediate is filled in when <see cref="Build"/> knows the label.</summary>
    public void Call(int label)
    {
        _callFixups.Add((_code.Count, label));
        Emit(Opcodes.Call, 0, 1, 0, 0);
    }

    public void LoadImm64(int dst, int source, int low, int high)
    {
        Emit(Opcodes.Lddw, dst, source, 0, low);
        Emit(0, 0, 0, 0, high);
    }

    public Instruction[] Build()
    {
        var code = _code.ToArray();
        foreach (var (slot, label) in _fixups)
        {
            code[slot] = code[slot].WithOffset((short)(_labels[label] - slot - 1));
        }

        foreach (var (slot, label) in _callFixups)
        {
            code[slot] = new Instruction(code[slot].Opcode, code[slot].Dst, code[slot].Src, code[slot].Offset, _labels[label] - slot - 1);
        }

        return code;
    }
}
