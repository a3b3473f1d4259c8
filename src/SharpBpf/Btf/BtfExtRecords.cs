using System.Collections.Immutable;

namespace SharpBpf.Btf;

/// <summary>
/// <c>bpf_func_info</c>: the function (a FUNC type) that starts at <see cref="InstructionOffset"/>, a byte
/// offset within the ELF section as the compiler writes it.
/// </summary>
internal sealed record BtfFuncInfo(uint InstructionOffset, uint TypeId)
{
    /// <summary>The 8-byte instruction slot index.</summary>
    public int InstructionIndex => (int)(InstructionOffset / 8);
}

/// <summary><c>bpf_line_info</c> with its strings resolved: the source file, the source line's text, line and column.</summary>
internal sealed record BtfLineInfo(uint InstructionOffset, string FileName, string LineText, uint LineNumber, uint Column)
{
    public int InstructionIndex => (int)(InstructionOffset / 8);
}

/// <summary>CO-RE relocation kinds (<c>enum bpf_core_relo_kind</c>).</summary>
internal enum BtfCoreRelocationKind : uint
{
    FieldByteOffset = 0,
    FieldByteSize = 1,
    FieldExists = 2,
    FieldSigned = 3,
    FieldLShiftU64 = 4,
    FieldRShiftU64 = 5,
    TypeIdLocal = 6,
    TypeIdTarget = 7,
    TypeExists = 8,
    TypeSize = 9,
    EnumValueExists = 10,
    EnumValue = 11,
    TypeMatches = 12,
}

/// <summary>
/// <c>bpf_core_relo</c>: the instruction at <see cref="InstructionOffset"/> (bytes) needs a value computed from
/// type <see cref="TypeId"/> and <see cref="AccessString"/> (<c>0:1:2</c>). <see cref="RecordOffset"/> is the
/// record's byte offset in <c>.BTF.ext</c>, for error messages.
/// </summary>
internal sealed record BtfCoreRelocation(uint InstructionOffset, uint TypeId, string AccessString, BtfCoreRelocationKind Kind, long RecordOffset)
{
    public int InstructionIndex => (int)(InstructionOffset / 8);
}

/// <summary>The records of one ELF section (<c>xdp</c>, <c>.text</c>, …), in file order.</summary>
internal sealed record BtfExtSection<T>(string SectionName, ImmutableArray<T> Records);
