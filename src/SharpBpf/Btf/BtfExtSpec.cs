using System.Collections.Immutable;
using SharpBpf.Btf.Internal;

namespace SharpBpf.Btf;

/// <summary>
/// A parsed <c>.BTF.ext</c> section: func info, line info and CO-RE relocations grouped per ELF section, with
/// strings resolved against the object's <c>.BTF</c>. Deliberately does not adjust offsets for subprogram
/// linking or apply relocations (the loader does both, using <see cref="BtfCoreResolver"/> for the values).
/// </summary>
internal sealed class BtfExtSpec
{
    internal BtfExtSpec(ImmutableArray<BtfExtSection<BtfFuncInfo>> functions, ImmutableArray<BtfExtSection<BtfLineInfo>> lines,
        ImmutableArray<BtfExtSection<BtfCoreRelocation>> relocations)
    {
        FunctionInfo = functions;
        LineInfo = lines;
        CoreRelocations = relocations;
    }

    /// <summary>Parses a raw <c>.BTF.ext</c> section; see <see cref="BtfExtReader"/>.</summary>
    public static BtfExtSpec Parse(ReadOnlySpan<byte> blob, BtfSpec btf) => BtfExtReader.Read(blob, btf);

    public ImmutableArray<BtfExtSection<BtfFuncInfo>> FunctionInfo { get; }

    public ImmutableArray<BtfExtSection<BtfLineInfo>> LineInfo { get; }

    public ImmutableArray<BtfExtSection<BtfCoreRelocation>> CoreRelocations { get; }

    public ImmutableArray<BtfFuncInfo> FunctionInfoFor(string sectionName) => Find(FunctionInfo, sectionName);

    public ImmutableArray<BtfLineInfo> LineInfoFor(string sectionName) => Find(LineInfo, sectionName);

    public ImmutableArray<BtfCoreRelocation> CoreRelocationsFor(string sectionName) => Find(CoreRelocations, sectionName);

    private static ImmutableArray<T> Find<T>(ImmutableArray<BtfExtSection<T>> sections, string name)
    {
        foreach (var section in sections)
            if (section.SectionName == name)
                return section.Records;
        return [];
    }
}

/// <summary>
/// Reads <c>.BTF.ext</c> (<c>struct btf_ext_header</c> and its three info sections). Record sizes larger than
/// the known structs are accepted (newer compilers may append fields); smaller ones, truncated blocks, string
/// offsets outside <c>.BTF</c>'s strings, unknown CO-RE kinds and type ids outside the BTF are
/// <see cref="ObjectLoadException"/>s with section <c>.BTF.ext</c> and the byte offset of the field.
/// </summary>
internal static class BtfExtReader
{
    private const string Sec = BtfErrors.BtfExtSection;
    private const int MinHeader = 24;

    public static BtfExtSpec Read(ReadOnlySpan<byte> blob, BtfSpec btf)
    {
        ArgumentNullException.ThrowIfNull(btf);
        var cursor = new ByteCursor(blob, Sec);
        ushort magic = cursor.U16(0, "header magic");
        if (magic == 0x9FEB)
            BtfErrors.Throw(Sec, 0, "big-endian .BTF.ext is not supported");
        if (magic != BtfReader.Magic)
            BtfErrors.Throw(Sec, 0, $"bad magic 0x{magic:x4}, expected 0xeb9f");
        byte version = cursor.U8(2, "header version");
        if (version != BtfReader.Version)
            BtfErrors.Throw(Sec, 2, $"unsupported .BTF.ext version {version}, expected 1");
        uint headerLength = cursor.U32(4, "header hdr_len");
        if (headerLength < MinHeader)
            BtfErrors.Throw(Sec, 4, $"hdr_len {headerLength} is smaller than the {MinHeader}-byte header");
        if (headerLength > (uint)blob.Length)
            BtfErrors.Throw(Sec, 4, $"hdr_len {headerLength} is beyond the {blob.Length}-byte section");

        var functions = ReadInfo(cursor, btf, headerLength, 8, 8, "func_info", ReadFunction);
        var lines = ReadInfo(cursor, btf, headerLength, 16, 16, "line_info", ReadLine);
        var relocations = headerLength >= 32
            ? ReadInfo(cursor, btf, headerLength, 24, 16, "core_relo", ReadRelocation)
            : [];
        return new BtfExtSpec(functions, lines, relocations);
    }

    private delegate T RecordReader<T>(ByteCursor cursor, BtfSpec btf, long at);

    private static ImmutableArray<BtfExtSection<T>> ReadInfo<T>(ByteCursor cursor, BtfSpec btf, uint headerLength,
        int headerField, int minRecordSize, string what, RecordReader<T> read)
    {
        uint off = cursor.U32(headerField, what + "_off");
        uint len = cursor.U32(headerField + 4, what + "_len");
        if (len == 0)
            return [];
        long start = headerLength + (long)off, end = start + len;
        if (end > cursor.Length)
            BtfErrors.Throw(Sec, headerField, $"{what} [{off}, +{len}) is beyond the {cursor.Length - headerLength} bytes after the header");
        if (len < 4)
            BtfErrors.Throw(Sec, start, $"{what} is too short for its record size");
        uint recordSize = cursor.U32(start, what + " record size");
        if (recordSize < minRecordSize || recordSize % 4 != 0 || recordSize > 1024)
            BtfErrors.Throw(Sec, start, $"{what} record size {recordSize} is invalid (at least {minRecordSize}, a multiple of 4)");
        var sections = ImmutableArray.CreateBuilder<BtfExtSection<T>>();
        long at = start + 4;
        while (at < end)
        {
            if (at + 8 > end)
                BtfErrors.Throw(Sec, at, $"truncated {what} block header");
            uint nameOff = cursor.U32(at, "sec_name_off");
            uint count = cursor.U32(at + 4, "num_info");
            if (!btf.Strings.TryGet(nameOff, out var sectionName) || sectionName.Length == 0)
                BtfErrors.Throw(Sec, at, $"{what} section name offset {nameOff} is not a name in the .BTF strings");
            if (count == 0)
                BtfErrors.Throw(Sec, at + 4, $"{what} block for '{sectionName}' has no records");
            if (at + 8 + (long)count * recordSize > end)
                BtfErrors.Throw(Sec, at + 4, $"{what} block for '{sectionName}' claims {count} records of {recordSize} bytes, beyond the end of {what}");
            at += 8;
            var records = ImmutableArray.CreateBuilder<T>((int)count);
            for (uint i = 0; i < count; i++, at += recordSize)
                records.Add(read(cursor, btf, at));
            sections.Add(new BtfExtSection<T>(sectionName, records.MoveToImmutable()));
        }
        return sections.ToImmutable();
    }

    private static string String(ByteCursor cursor, BtfSpec btf, long at, string what)
    {
        uint offset = cursor.U32(at, what);
        if (!btf.Strings.TryGet(offset, out var value))
            BtfErrors.Throw(Sec, at, $"{what} {offset} is beyond the {btf.Strings.Length}-byte .BTF string section");
        return value;
    }

    private static uint TypeId(ByteCursor cursor, BtfSpec btf, long at, string what)
    {
        uint id = cursor.U32(at, what);
        if (id >= (uint)btf.Types.Count)
            BtfErrors.Throw(Sec, at, $"{what} {id} is out of range (the BTF has {btf.Types.Count - 1} types)");
        return id;
    }

    private static BtfFuncInfo ReadFunction(ByteCursor cursor, BtfSpec btf, long at)
    {
        uint insn = cursor.U32(at, "func_info insn_off");
        uint type = TypeId(cursor, btf, at + 4, "func_info type_id");
        if (btf[type] is not BtfFunction)
            BtfErrors.Throw(Sec, at + 4, $"func_info type_id {type} is a {btf[type].Kind}, not a FUNC");
        return new BtfFuncInfo(insn, type);
    }

    private static BtfLineInfo ReadLine(ByteCursor cursor, BtfSpec btf, long at)
    {
        uint insn = cursor.U32(at, "line_info insn_off");
        string file = String(cursor, btf, at + 4, "line_info file_name_off");
        string line = String(cursor, btf, at + 8, "line_info line_off");
        uint lineColumn = cursor.U32(at + 12, "line_info line_col");
        return new BtfLineInfo(insn, file, line, lineColumn >> 10, lineColumn & 0x3ff);
    }

    private static BtfCoreRelocation ReadRelocation(ByteCursor cursor, BtfSpec btf, long at)
    {
        uint insn = cursor.U32(at, "core_relo insn_off");
        uint type = TypeId(cursor, btf, at + 4, "core_relo type_id");
        string access = String(cursor, btf, at + 8, "core_relo access_str_off");
        uint kind = cursor.U32(at + 12, "core_relo kind");
        if (kind > (uint)BtfCoreRelocationKind.TypeMatches)
            BtfErrors.Throw(Sec, at + 12, $"unknown CO-RE relocation kind {kind}");
        if (access.Length == 0)
            BtfErrors.Throw(Sec, at + 8, "empty CO-RE access string");
        return new BtfCoreRelocation(insn, type, access, (BtfCoreRelocationKind)kind, at);
    }
}
