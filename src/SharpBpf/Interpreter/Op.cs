namespace SharpBpf.Interpreter;

/// <summary>
/// The interpreter's own dense opcode: one value per semantic variant, so the hot loop is one jump table and never
/// looks at the offset or immediate to tell sdiv from div, a movsx width or an atomic operation apart.
/// </summary>
internal enum Op : byte
{
    /// <summary>The second slot of an lddw; unreachable after validation.</summary>
    Unreachable,
    /// <summary>The sentinel after the last slot.</summary>
    FellOffEnd,

    Add64Imm, Add64Reg, Sub64Imm, Sub64Reg, Mul64Imm, Mul64Reg, Div64Imm, Div64Reg, Sdiv64Imm, Sdiv64Reg,
    Or64Imm, Or64Reg, And64Imm, And64Reg, Lsh64Imm, Lsh64Reg, Rsh64Imm, Rsh64Reg, Mod64Imm, Mod64Reg,
    Smod64Imm, Smod64Reg, Xor64Imm, Xor64Reg, Mov64Imm, Mov64Reg, Movsx8To64, Movsx16To64, Movsx32To64,
    Arsh64Imm, Arsh64Reg, Neg64,

    Add32Imm, Add32Reg, Sub32Imm, Sub32Reg, Mul32Imm, Mul32Reg, Div32Imm, Div32Reg, Sdiv32Imm, Sdiv32Reg,
    Or32Imm, Or32Reg, And32Imm, And32Reg, Lsh32Imm, Lsh32Reg, Rsh32Imm, Rsh32Reg, Mod32Imm, Mod32Reg,
    Smod32Imm, Smod32Reg, Xor32Imm, Xor32Reg, Mov32Imm, Mov32Reg, Movsx8To32, Movsx16To32,
    Arsh32Imm, Arsh32Reg, Neg32,

    Le16, Le32, Le64, Swap16, Swap32, Swap64,

    Lddw,
    LdAbsB, LdAbsH, LdAbsW, LdIndB, LdIndH, LdIndW,
    LdxB, LdxH, LdxW, LdxDw, LdxsB, LdxsH, LdxsW,
    StB, StH, StW, StDw,
    StxB, StxH, StxW, StxDw,

    AtomicAdd32, AtomicOr32, AtomicAnd32, AtomicXor32,
    AtomicFetchAdd32, AtomicFetchOr32, AtomicFetchAnd32, AtomicFetchXor32, AtomicXchg32, AtomicCmpXchg32,
    AtomicAdd64, AtomicOr64, AtomicAnd64, AtomicXor64,
    AtomicFetchAdd64, AtomicFetchOr64, AtomicFetchAnd64, AtomicFetchXor64, AtomicXchg64, AtomicCmpXchg64,

    /// <summary>
    /// Accesses the verifier proved in bounds (proven-unchecked mode): the same operation without the region check.
    /// A proven atomic keeps its own operation in <see cref="DecodedInstruction.Target"/>.
    /// </summary>
    ProvenLdxB, ProvenLdxH, ProvenLdxW, ProvenLdxDw, ProvenLdxsB, ProvenLdxsH, ProvenLdxsW,
    ProvenStB, ProvenStH, ProvenStW, ProvenStDw,
    ProvenStxB, ProvenStxH, ProvenStxW, ProvenStxDw,
    ProvenAtomic32, ProvenAtomic64,

    Ja,
    MayGoto,
    Jeq64Imm, Jeq64Reg, Jgt64Imm, Jgt64Reg, Jge64Imm, Jge64Reg, Jset64Imm, Jset64Reg, Jne64Imm, Jne64Reg,
    Jsgt64Imm, Jsgt64Reg, Jsge64Imm, Jsge64Reg, Jlt64Imm, Jlt64Reg, Jle64Imm, Jle64Reg,
    Jslt64Imm, Jslt64Reg, Jsle64Imm, Jsle64Reg,
    Jeq32Imm, Jeq32Reg, Jgt32Imm, Jgt32Reg, Jge32Imm, Jge32Reg, Jset32Imm, Jset32Reg, Jne32Imm, Jne32Reg,
    Jsgt32Imm, Jsgt32Reg, Jsge32Imm, Jsge32Reg, Jlt32Imm, Jlt32Reg, Jle32Imm, Jle32Reg,
    Jslt32Imm, Jslt32Reg, Jsle32Imm, Jsle32Reg,

    CallHelper, CallLocal, CallKfunc, Callx, Exit,
}
