namespace SharpBpf.Isa;

/// <summary>The operand shape of an instruction: what its fields mean. Drives the assembler and formatters.</summary>
internal enum InstructionForm
{
    /// <summary><c>op dst, imm</c></summary>
    AluImm,
    /// <summary><c>op dst, src</c> (also movsx, whose width is in the offset)</summary>
    AluReg,
    /// <summary><c>neg dst</c></summary>
    AluUnary,
    /// <summary><c>le16 dst</c>, <c>be32 dst</c>, <c>bswap64 dst</c>: width in imm</summary>
    Endian,
    /// <summary><c>lddw dst, imm64</c>: two slots</summary>
    LoadImm64,
    /// <summary>Legacy <c>ldabs imm</c>: r0 = packet[imm] (from the skb in r6)</summary>
    LoadPacketAbs,
    /// <summary>Legacy <c>ldind src, imm</c>: r0 = packet[src + imm]</summary>
    LoadPacketInd,
    /// <summary><c>ldx dst, [src+off]</c> (zero- or sign-extending)</summary>
    Load,
    /// <summary><c>st [dst+off], imm</c></summary>
    StoreImm,
    /// <summary><c>stx [dst+off], src</c></summary>
    StoreReg,
    /// <summary><c>lock op [dst+off], src</c>: operation in imm</summary>
    Atomic,
    /// <summary><c>ja +off</c></summary>
    Jump,
    /// <summary><c>ja32 +imm</c> (gotol)</summary>
    JumpLong,
    /// <summary><c>jcc dst, imm, +off</c></summary>
    CondJumpImm,
    /// <summary><c>jcc dst, src, +off</c></summary>
    CondJumpReg,
    /// <summary><c>call imm</c>: helper by id</summary>
    CallHelper,
    /// <summary><c>call local +imm</c>: bpf-to-bpf call</summary>
    CallLocal,
    /// <summary><c>call kfunc imm</c>: kernel function by BTF id (off selects the module BTF)</summary>
    CallKfunc,
    /// <summary><c>call dst</c> (callx): helper whose id or address is in a register</summary>
    CallReg,
    /// <summary><c>exit</c></summary>
    Exit,
}

/// <summary>The instruction groups of the conformance suite (RFC 9669 §2.2 conformance groups).</summary>
[Flags]
internal enum ConformanceGroups
{
    None = 0,
    Base32 = 1,
    Base64 = 2,
    Atomic32 = 4,
    Atomic64 = 8,
    DivMul32 = 16,
    DivMul64 = 32,
    Callx = 64,
    Packet = 128,
}
