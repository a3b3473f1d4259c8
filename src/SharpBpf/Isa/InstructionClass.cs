namespace SharpBpf.Isa;

/// <summary>The three low bits of an opcode (RFC 9669 §3).</summary>
/// <remarks>
/// <code>
///   7 6 5 4 3 2 1 0
///  +-------+-+-----+
///  |  op   |s|class|   ALU, ALU64, JMP, JMP32: op (4 bits), source (1 bit), class (3 bits)
///  +-------+-+-----+
///  | mode|sz |class|   LD, LDX, ST, STX: mode (3 bits), size (2 bits), class (3 bits)
///  +-----+---+-----+
/// </code>
/// </remarks>
internal enum InstructionClass : byte
{
    Ld = 0x00,
    Ldx = 0x01,
    St = 0x02,
    Stx = 0x03,
    Alu = 0x04,
    Jmp = 0x05,
    Jmp32 = 0x06,
    Alu64 = 0x07,
}
