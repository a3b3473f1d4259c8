namespace SharpBpf.Isa;

/// <summary>
/// Every valid opcode byte, named after its mnemonic. Variants the ISA stores in the offset or immediate
/// (sdiv/smod, movsx, atomics, endianness widths, call kinds) share a byte; <see cref="OpcodeTable"/> tells them apart.
/// </summary>
internal static class Opcodes
{
    /// <summary><c>BPF_ALU64 | BPF_ADD | BPF_K</c></summary>
    public const byte Add64Imm = 0x07;
    /// <summary><c>BPF_ALU64 | BPF_ADD | BPF_X</c></summary>
    public const byte Add64Reg = 0x0f;
    /// <summary><c>BPF_ALU | BPF_ADD | BPF_K</c></summary>
    public const byte Add32Imm = 0x04;
    /// <summary><c>BPF_ALU | BPF_ADD | BPF_X</c></summary>
    public const byte Add32Reg = 0x0c;
    /// <summary><c>BPF_ALU64 | BPF_SUB | BPF_K</c></summary>
    public const byte Sub64Imm = 0x17;
    /// <summary><c>BPF_ALU64 | BPF_SUB | BPF_X</c></summary>
    public const byte Sub64Reg = 0x1f;
    /// <summary><c>BPF_ALU | BPF_SUB | BPF_K</c></summary>
    public const byte Sub32Imm = 0x14;
    /// <summary><c>BPF_ALU | BPF_SUB | BPF_X</c></summary>
    public const byte Sub32Reg = 0x1c;
    /// <summary><c>BPF_ALU64 | BPF_MUL | BPF_K</c></summary>
    public const byte Mul64Imm = 0x27;
    /// <summary><c>BPF_ALU64 | BPF_MUL | BPF_X</c></summary>
    public const byte Mul64Reg = 0x2f;
    /// <summary><c>BPF_ALU | BPF_MUL | BPF_K</c></summary>
    public const byte Mul32Imm = 0x24;
    /// <summary><c>BPF_ALU | BPF_MUL | BPF_X</c></summary>
    public const byte Mul32Reg = 0x2c;
    /// <summary><c>BPF_ALU64 | BPF_DIV | BPF_K</c></summary>
    public const byte Div64Imm = 0x37;
    /// <summary><c>BPF_ALU64 | BPF_DIV | BPF_X</c></summary>
    public const byte Div64Reg = 0x3f;
    /// <summary><c>BPF_ALU | BPF_DIV | BPF_K</c></summary>
    public const byte Div32Imm = 0x34;
    /// <summary><c>BPF_ALU | BPF_DIV | BPF_X</c></summary>
    public const byte Div32Reg = 0x3c;
    /// <summary><c>BPF_ALU64 | BPF_OR | BPF_K</c></summary>
    public const byte Or64Imm = 0x47;
    /// <summary><c>BPF_ALU64 | BPF_OR | BPF_X</c></summary>
    public const byte Or64Reg = 0x4f;
    /// <summary><c>BPF_ALU | BPF_OR | BPF_K</c></summary>
    public const byte Or32Imm = 0x44;
    /// <summary><c>BPF_ALU | BPF_OR | BPF_X</c></summary>
    public const byte Or32Reg = 0x4c;
    /// <summary><c>BPF_ALU64 | BPF_AND | BPF_K</c></summary>
    public const byte And64Imm = 0x57;
    /// <summary><c>BPF_ALU64 | BPF_AND | BPF_X</c></summary>
    public const byte And64Reg = 0x5f;
    /// <summary><c>BPF_ALU | BPF_AND | BPF_K</c></summary>
    public const byte And32Imm = 0x54;
    /// <summary><c>BPF_ALU | BPF_AND | BPF_X</c></summary>
    public const byte And32Reg = 0x5c;
    /// <summary><c>BPF_ALU64 | BPF_LSH | BPF_K</c></summary>
    public const byte Lsh64Imm = 0x67;
    /// <summary><c>BPF_ALU64 | BPF_LSH | BPF_X</c></summary>
    public const byte Lsh64Reg = 0x6f;
    /// <summary><c>BPF_ALU | BPF_LSH | BPF_K</c></summary>
    public const byte Lsh32Imm = 0x64;
    /// <summary><c>BPF_ALU | BPF_LSH | BPF_X</c></summary>
    public const byte Lsh32Reg = 0x6c;
    /// <summary><c>BPF_ALU64 | BPF_RSH | BPF_K</c></summary>
    public const byte Rsh64Imm = 0x77;
    /// <summary><c>BPF_ALU64 | BPF_RSH | BPF_X</c></summary>
    public const byte Rsh64Reg = 0x7f;
    /// <summary><c>BPF_ALU | BPF_RSH | BPF_K</c></summary>
    public const byte Rsh32Imm = 0x74;
    /// <summary><c>BPF_ALU | BPF_RSH | BPF_X</c></summary>
    public const byte Rsh32Reg = 0x7c;
    /// <summary><c>BPF_ALU64 | BPF_MOD | BPF_K</c></summary>
    public const byte Mod64Imm = 0x97;
    /// <summary><c>BPF_ALU64 | BPF_MOD | BPF_X</c></summary>
    public const byte Mod64Reg = 0x9f;
    /// <summary><c>BPF_ALU | BPF_MOD | BPF_K</c></summary>
    public const byte Mod32Imm = 0x94;
    /// <summary><c>BPF_ALU | BPF_MOD | BPF_X</c></summary>
    public const byte Mod32Reg = 0x9c;
    /// <summary><c>BPF_ALU64 | BPF_XOR | BPF_K</c></summary>
    public const byte Xor64Imm = 0xa7;
    /// <summary><c>BPF_ALU64 | BPF_XOR | BPF_X</c></summary>
    public const byte Xor64Reg = 0xaf;
    /// <summary><c>BPF_ALU | BPF_XOR | BPF_K</c></summary>
    public const byte Xor32Imm = 0xa4;
    /// <summary><c>BPF_ALU | BPF_XOR | BPF_X</c></summary>
    public const byte Xor32Reg = 0xac;
    /// <summary><c>BPF_ALU64 | BPF_MOV | BPF_K</c></summary>
    public const byte Mov64Imm = 0xb7;
    /// <summary><c>BPF_ALU64 | BPF_MOV | BPF_X</c></summary>
    public const byte Mov64Reg = 0xbf;
    /// <summary><c>BPF_ALU | BPF_MOV | BPF_K</c></summary>
    public const byte Mov32Imm = 0xb4;
    /// <summary><c>BPF_ALU | BPF_MOV | BPF_X</c></summary>
    public const byte Mov32Reg = 0xbc;
    /// <summary><c>BPF_ALU64 | BPF_ARSH | BPF_K</c></summary>
    public const byte Arsh64Imm = 0xc7;
    /// <summary><c>BPF_ALU64 | BPF_ARSH | BPF_X</c></summary>
    public const byte Arsh64Reg = 0xcf;
    /// <summary><c>BPF_ALU | BPF_ARSH | BPF_K</c></summary>
    public const byte Arsh32Imm = 0xc4;
    /// <summary><c>BPF_ALU | BPF_ARSH | BPF_X</c></summary>
    public const byte Arsh32Reg = 0xcc;
    /// <summary><c>BPF_ALU64 | BPF_NEG</c></summary>
    public const byte Neg64 = 0x87;
    /// <summary><c>BPF_ALU | BPF_NEG</c></summary>
    public const byte Neg32 = 0x84;
    /// <summary><c>BPF_ALU | BPF_END | BPF_TO_LE</c>: le16/32/64</summary>
    public const byte ToLe = 0xd4;
    /// <summary><c>BPF_ALU | BPF_END | BPF_TO_BE</c>: be16/32/64</summary>
    public const byte ToBe = 0xdc;
    /// <summary><c>BPF_ALU64 | BPF_END</c>: unconditional byte swap (cpu v4)</summary>
    public const byte Bswap = 0xd7;
    /// <summary><c>BPF_LD | BPF_IMM | BPF_DW</c>: 64-bit immediate, two slots</summary>
    public const byte Lddw = 0x18;
    /// <summary><c>BPF_LD | BPF_ABS | BPF_W</c>: legacy packet load</summary>
    public const byte LdAbsW = 0x20;
    /// <summary><c>BPF_LD | BPF_IND | BPF_W</c>: legacy packet load</summary>
    public const byte LdIndW = 0x40;
    /// <summary><c>BPF_LD | BPF_ABS | BPF_H</c>: legacy packet load</summary>
    public const byte LdAbsH = 0x28;
    /// <summary><c>BPF_LD | BPF_IND | BPF_H</c>: legacy packet load</summary>
    public const byte LdIndH = 0x48;
    /// <summary><c>BPF_LD | BPF_ABS | BPF_B</c>: legacy packet load</summary>
    public const byte LdAbsB = 0x30;
    /// <summary><c>BPF_LD | BPF_IND | BPF_B</c>: legacy packet load</summary>
    public const byte LdIndB = 0x50;
    /// <summary><c>BPF_LDX | BPF_MEM | BPF_W</c></summary>
    public const byte LdxW = 0x61;
    /// <summary><c>BPF_ST | BPF_MEM | BPF_W</c></summary>
    public const byte StW = 0x62;
    /// <summary><c>BPF_STX | BPF_MEM | BPF_W</c></summary>
    public const byte StxW = 0x63;
    /// <summary><c>BPF_LDX | BPF_MEM | BPF_H</c></summary>
    public const byte LdxH = 0x69;
    /// <summary><c>BPF_ST | BPF_MEM | BPF_H</c></summary>
    public const byte StH = 0x6a;
    /// <summary><c>BPF_STX | BPF_MEM | BPF_H</c></summary>
    public const byte StxH = 0x6b;
    /// <summary><c>BPF_LDX | BPF_MEM | BPF_B</c></summary>
    public const byte LdxB = 0x71;
    /// <summary><c>BPF_ST | BPF_MEM | BPF_B</c></summary>
    public const byte StB = 0x72;
    /// <summary><c>BPF_STX | BPF_MEM | BPF_B</c></summary>
    public const byte StxB = 0x73;
    /// <summary><c>BPF_LDX | BPF_MEM | BPF_DW</c></summary>
    public const byte LdxDw = 0x79;
    /// <summary><c>BPF_ST | BPF_MEM | BPF_DW</c></summary>
    public const byte StDw = 0x7a;
    /// <summary><c>BPF_STX | BPF_MEM | BPF_DW</c></summary>
    public const byte StxDw = 0x7b;
    /// <summary><c>BPF_LDX | BPF_MEMSX | BPF_W</c>: sign-extending load (cpu v4)</summary>
    public const byte LdxsW = 0x81;
    /// <summary><c>BPF_LDX | BPF_MEMSX | BPF_H</c>: sign-extending load (cpu v4)</summary>
    public const byte LdxsH = 0x89;
    /// <summary><c>BPF_LDX | BPF_MEMSX | BPF_B</c>: sign-extending load (cpu v4)</summary>
    public const byte LdxsB = 0x91;
    /// <summary><c>BPF_STX | BPF_ATOMIC | BPF_W</c></summary>
    public const byte AtomicW = 0xc3;
    /// <summary><c>BPF_STX | BPF_ATOMIC | BPF_DW</c></summary>
    public const byte AtomicDw = 0xdb;
    /// <summary><c>BPF_JMP | BPF_JA</c></summary>
    public const byte Ja = 0x05;
    /// <summary><c>BPF_JMP32 | BPF_JA</c> (gotol): target in imm (cpu v4)</summary>
    public const byte Ja32 = 0x06;
    /// <summary>
    /// <c>BPF_JMP | BPF_JCOND</c> with src <c>BPF_MAY_GOTO</c> (0): <c>may_goto +off</c>, a jump taken once the program's
    /// loop budget is spent (Linux 6.9+, clang's <c>can_loop</c>).
    /// </summary>
    public const byte MayGoto = 0xe5;
    /// <summary><c>BPF_JMP | BPF_JEQ | BPF_K</c></summary>
    public const byte JeqImm = 0x15;
    /// <summary><c>BPF_JMP | BPF_JEQ | BPF_X</c></summary>
    public const byte JeqReg = 0x1d;
    /// <summary><c>BPF_JMP32 | BPF_JEQ | BPF_K</c></summary>
    public const byte Jeq32Imm = 0x16;
    /// <summary><c>BPF_JMP32 | BPF_JEQ | BPF_X</c></summary>
    public const byte Jeq32Reg = 0x1e;
    /// <summary><c>BPF_JMP | BPF_JGT | BPF_K</c></summary>
    public const byte JgtImm = 0x25;
    /// <summary><c>BPF_JMP | BPF_JGT | BPF_X</c></summary>
    public const byte JgtReg = 0x2d;
    /// <summary><c>BPF_JMP32 | BPF_JGT | BPF_K</c></summary>
    public const byte Jgt32Imm = 0x26;
    /// <summary><c>BPF_JMP32 | BPF_JGT | BPF_X</c></summary>
    public const byte Jgt32Reg = 0x2e;
    /// <summary><c>BPF_JMP | BPF_JGE | BPF_K</c></summary>
    public const byte JgeImm = 0x35;
    /// <summary><c>BPF_JMP | BPF_JGE | BPF_X</c></summary>
    public const byte JgeReg = 0x3d;
    /// <summary><c>BPF_JMP32 | BPF_JGE | BPF_K</c></summary>
    public const byte Jge32Imm = 0x36;
    /// <summary><c>BPF_JMP32 | BPF_JGE | BPF_X</c></summary>
    public const byte Jge32Reg = 0x3e;
    /// <summary><c>BPF_JMP | BPF_JSET | BPF_K</c></summary>
    public const byte JsetImm = 0x45;
    /// <summary><c>BPF_JMP | BPF_JSET | BPF_X</c></summary>
    public const byte JsetReg = 0x4d;
    /// <summary><c>BPF_JMP32 | BPF_JSET | BPF_K</c></summary>
    public const byte Jset32Imm = 0x46;
    /// <summary><c>BPF_JMP32 | BPF_JSET | BPF_X</c></summary>
    public const byte Jset32Reg = 0x4e;
    /// <summary><c>BPF_JMP | BPF_JNE | BPF_K</c></summary>
    public const byte JneImm = 0x55;
    /// <summary><c>BPF_JMP | BPF_JNE | BPF_X</c></summary>
    public const byte JneReg = 0x5d;
    /// <summary><c>BPF_JMP32 | BPF_JNE | BPF_K</c></summary>
    public const byte Jne32Imm = 0x56;
    /// <summary><c>BPF_JMP32 | BPF_JNE | BPF_X</c></summary>
    public const byte Jne32Reg = 0x5e;
    /// <summary><c>BPF_JMP | BPF_JSGT | BPF_K</c></summary>
    public const byte JsgtImm = 0x65;
    /// <summary><c>BPF_JMP | BPF_JSGT | BPF_X</c></summary>
    public const byte JsgtReg = 0x6d;
    /// <summary><c>BPF_JMP32 | BPF_JSGT | BPF_K</c></summary>
    public const byte Jsgt32Imm = 0x66;
    /// <summary><c>BPF_JMP32 | BPF_JSGT | BPF_X</c></summary>
    public const byte Jsgt32Reg = 0x6e;
    /// <summary><c>BPF_JMP | BPF_JSGE | BPF_K</c></summary>
    public const byte JsgeImm = 0x75;
    /// <summary><c>BPF_JMP | BPF_JSGE | BPF_X</c></summary>
    public const byte JsgeReg = 0x7d;
    /// <summary><c>BPF_JMP32 | BPF_JSGE | BPF_K</c></summary>
    public const byte Jsge32Imm = 0x76;
    /// <summary><c>BPF_JMP32 | BPF_JSGE | BPF_X</c></summary>
    public const byte Jsge32Reg = 0x7e;
    /// <summary><c>BPF_JMP | BPF_JLT | BPF_K</c></summary>
    public const byte JltImm = 0xa5;
    /// <summary><c>BPF_JMP | BPF_JLT | BPF_X</c></summary>
    public const byte JltReg = 0xad;
    /// <summary><c>BPF_JMP32 | BPF_JLT | BPF_K</c></summary>
    public const byte Jlt32Imm = 0xa6;
    /// <summary><c>BPF_JMP32 | BPF_JLT | BPF_X</c></summary>
    public const byte Jlt32Reg = 0xae;
    /// <summary><c>BPF_JMP | BPF_JLE | BPF_K</c></summary>
    public const byte JleImm = 0xb5;
    /// <summary><c>BPF_JMP | BPF_JLE | BPF_X</c></summary>
    public const byte JleReg = 0xbd;
    /// <summary><c>BPF_JMP32 | BPF_JLE | BPF_K</c></summary>
    public const byte Jle32Imm = 0xb6;
    /// <summary><c>BPF_JMP32 | BPF_JLE | BPF_X</c></summary>
    public const byte Jle32Reg = 0xbe;
    /// <summary><c>BPF_JMP | BPF_JSLT | BPF_K</c></summary>
    public const byte JsltImm = 0xc5;
    /// <summary><c>BPF_JMP | BPF_JSLT | BPF_X</c></summary>
    public const byte JsltReg = 0xcd;
    /// <summary><c>BPF_JMP32 | BPF_JSLT | BPF_K</c></summary>
    public const byte Jslt32Imm = 0xc6;
    /// <summary><c>BPF_JMP32 | BPF_JSLT | BPF_X</c></summary>
    public const byte Jslt32Reg = 0xce;
    /// <summary><c>BPF_JMP | BPF_JSLE | BPF_K</c></summary>
    public const byte JsleImm = 0xd5;
    /// <summary><c>BPF_JMP | BPF_JSLE | BPF_X</c></summary>
    public const byte JsleReg = 0xdd;
    /// <summary><c>BPF_JMP32 | BPF_JSLE | BPF_K</c></summary>
    public const byte Jsle32Imm = 0xd6;
    /// <summary><c>BPF_JMP32 | BPF_JSLE | BPF_X</c></summary>
    public const byte Jsle32Reg = 0xde;
    /// <summary><c>BPF_JMP | BPF_CALL</c>: helper, local (src 1) or kfunc (src 2)</summary>
    public const byte Call = 0x85;
    /// <summary><c>BPF_JMP | BPF_CALL | BPF_X</c>: call the helper whose id is in the dst register</summary>
    public const byte Callx = 0x8d;
    /// <summary><c>BPF_JMP | BPF_EXIT</c></summary>
    public const byte Exit = 0x95;
}
