using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SharpBpf.Isa;

namespace SharpBpf.Tests.Isa;

public class InstructionTests
{
    [Fact]
    public void Instruction_is_exactly_one_wire_slot()
    {
        Assert.Equal(Instruction.Size, Unsafe.SizeOf<Instruction>());
    }

    [Fact]
    public void Raw_word_follows_the_rfc_layout()
    {
        // lddw r0, 0x1122334455667788 from lddw.data: opcode 0x18, dst 0, imm 0x55667788.
        var insn = Instruction.FromRaw(0x5566778800000018);
        Assert.Equal(Opcodes.Lddw, insn.Opcode);
        Assert.Equal(0, insn.Dst);
        Assert.Equal(0x55667788, insn.Immediate);

        var store = new Instruction(Opcodes.StxDw, dst: 10, src: 1, offset: -8, immediate: 0);
        Assert.Equal(0xfff8_1a7bUL, store.RawValue);
        Assert.Equal(store, Instruction.FromRaw(store.RawValue));
    }

    [Fact]
    public void Byte_view_and_decode_agree()
    {
        byte[] bytes = [0xb7, 0x01, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0x95, 0, 0, 0, 0, 0, 0, 0];
        var decoded = Instruction.Decode(bytes);
        var viewed = MemoryMarshal.Cast<byte, Instruction>(bytes);

        Assert.Equal(decoded, viewed.ToArray());
        Assert.Equal(1, decoded[0].Dst);
        Assert.Equal(-1, decoded[0].Immediate);
        Assert.Equal(bytes, Instruction.Encode(decoded));
    }

    [Fact]
    public void Decode_refuses_a_partial_slot()
    {
        Assert.Throws<ArgumentException>(() => Instruction.Decode(new byte[12]));
    }
}
