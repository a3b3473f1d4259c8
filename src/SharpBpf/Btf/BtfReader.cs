using System.Collections.Immutable;
using SharpBpf.Btf.Internal;

namespace SharpBpf.Btf;

/// <summary>
/// Parses a raw <c>.BTF</c> section (header, type section, string section) into a <see cref="BtfSpec"/>.
/// Every problem is an <see cref="ObjectLoadException"/> with section <c>.BTF</c> and the byte offset of the
/// bad field. Deliberately does not: read ELF (the caller passes the section bytes), accept big-endian BTF
/// (it is detected and rejected), apply the kernel's load-time checks that a compiler's object does not yet
/// satisfy (DATASEC sizes and offsets are 0 until libbpf fixes them), or handle split BTF (a base BTF).
/// </summary>
internal static class BtfReader
{
    public const ushort Magic = 0xEB9F;
    public const byte Version = 1;
    public const int HeaderSize = 24;

    /// <summary>Type ids above this are rejected (<c>BTF_MAX_TYPE</c>).</summary>
    public const uint MaxTypeId = 0x000F_FFFF;

    private const string Sec = BtfErrors.BtfSection;

    public static BtfSpec Read(ReadOnlySpan<byte> blob)
    {
        var cursor = new ByteCursor(blob, Sec);
        ushort magic = cursor.U16(0, "header magic");
        if (magic == 0x9FEB)
            BtfErrors.Throw(Sec, 0, "big-endian BTF (magic 0xeb9f byte-swapped) is not supported; compile with -target bpfel or -target bpf on a little-endian host");
        if (magic != Magic)
            BtfErrors.Throw(Sec, 0, $"bad magic 0x{magic:x4}, expected 0xeb9f");
        byte version = cursor.U8(2, "header version");
        if (version != Version)
            BtfErrors.Throw(Sec, 2, $"unsupported BTF version {version}, expected 1");
        uint headerLength = cursor.U32(4, "header hdr_len");
        if (headerLength < HeaderSize)
            BtfErrors.Throw(Sec, 4, $"hdr_len {headerLength} is smaller than the {HeaderSize}-byte header");
        if (headerLength > (uint)blob.Length)
            BtfErrors.Throw(Sec, 4, $"hdr_len {headerLength} is beyond the {blob.Length}-byte section");
        uint typeOff = cursor.U32(8, "header type_off");
        uint typeLen = cursor.U32(12, "header type_len");
        uint strOff = cursor.U32(16, "header str_off");
        uint strLen = cursor.U32(20, "header str_len");

        long payload = blob.Length - headerLength;
        if (typeOff % 4 != 0)
            BtfErrors.Throw(Sec, 8, $"type_off {typeOff} is not 4-byte aligned");
        if ((long)typeOff + typeLen > payload)
            BtfErrors.Throw(Sec, 8, $"type section [{typeOff}, +{typeLen}) is beyond the {payload} bytes after the header");
        if ((long)strOff + strLen > payload)
            BtfErrors.Throw(Sec, 16, $"string section [{strOff}, +{strLen}) is beyond the {payload} bytes after the header");
        long typeStart = headerLength + typeOff, strStart = headerLength + strOff;
        if (typeLen > 0 && strLen > 0 && typeStart < strStart + strLen && strStart < typeStart + typeLen)
            BtfErrors.Throw(Sec, 16, "type and string sections overlap");
        if (strLen == 0)
            BtfErrors.Throw(Sec, 20, "the string section is empty");
        var strings = blob.Slice((int)strStart, (int)strLen);
        if (strings[0] != 0)
            BtfErrors.Throw(Sec, strStart, "the string section does not start with the empty string");
        if (strings[^1] != 0)
            BtfErrors.Throw(Sec, strStart + strLen - 1, "the string section does not end with NUL");

        var table = new BtfStringTable(strings.ToArray());
        var parser = new TypeParser(cursor, table, typeStart, typeStart + typeLen);
        var (types, offsets) = parser.ParseAll();
        return new BtfSpec(types, offsets, table);
    }

    private ref struct TypeParser
    {
        private readonly ByteCursor _cursor;
        private readonly BtfStringTable _strings;
        private readonly long _end;
        private long _position;

        public TypeParser(ByteCursor cursor, BtfStringTable strings, long start, long end)
        {
            _cursor = cursor;
            _strings = strings;
            _position = start;
            _end = end;
        }

        public (BtfType[] Types, long[] Offsets) ParseAll()
        {
            var types = new List<BtfType> { new BtfVoid() };
            var offsets = new List<long> { -1 };
            while (_position < _end)
            {
                if ((uint)types.Count > MaxTypeId)
                    BtfErrors.Throw(Sec, _position, $"more than {MaxTypeId} types");
                long at = _position;
                types.Add(ParseOne((uint)types.Count));
                offsets.Add(at);
            }
            return (types.ToArray(), offsets.ToArray());
        }

        private uint Need(long bytes, string what)
        {
            if (_position + bytes > _end)
                BtfErrors.Throw(Sec, _position, $"truncated: {what} needs {bytes} bytes but only {_end - _position} remain in the type section");
            return 0;
        }

        private string Name(long offset, uint nameOff)
        {
            if (!_strings.TryGet(nameOff, out var name))
                BtfErrors.Throw(Sec, offset, $"name offset {nameOff} is beyond the {_strings.Length}-byte string section");
            return name;
        }

        private BtfType ParseOne(uint id)
        {
            long at = _position;
            Need(12, $"type [{id}]");
            uint nameOff = _cursor.U32(at, "name_off");
            uint info = _cursor.U32(at + 4, "info");
            uint sizeOrType = _cursor.U32(at + 8, "size/type");
            var kind = (BtfKind)((info >> 24) & 0x1f);
            int vlen = (int)(info & 0xffff);
            bool kindFlag = (info >> 31) != 0;
            string name = Name(at, nameOff);
            _position = at + 12;

            switch (kind)
            {
                case BtfKind.Int:
                {
                    NoMembers(at, id, kind, vlen);
                    Need(4, $"INT [{id}] data");
                    uint data = _cursor.U32(_position, "int data");
                    _position += 4;
                    var encoding = (data >> 24) & 0x0f;
                    uint bitOffset = (data >> 16) & 0xff, bits = data & 0xff;
                    if (sizeOrType is not (1 or 2 or 4 or 8 or 16))
                        BtfErrors.Throw(Sec, at + 8, $"INT [{id}] has invalid size {sizeOrType}");
                    if (bits == 0 || bitOffset + bits > sizeOrType * 8)
                        BtfErrors.Throw(Sec, at + 12, $"INT [{id}] bits {bits} at offset {bitOffset} do not fit {sizeOrType} bytes");
                    if (encoding > 4 || encoding == 3)
                        BtfErrors.Throw(Sec, at + 12, $"INT [{id}] has invalid encoding 0x{encoding:x}");
                    return new BtfInt(id, name, sizeOrType, (BtfIntEncoding)encoding, (byte)bitOffset, (byte)bits);
                }
                case BtfKind.Pointer:
                    NoMembers(at, id, kind, vlen);
                    return new BtfPointer(id, sizeOrType);
                case BtfKind.Typedef:
                    NoMembers(at, id, kind, vlen);
                    return new BtfTypedef(id, name, sizeOrType);
                case BtfKind.Volatile:
                    NoMembers(at, id, kind, vlen);
                    return new BtfVolatile(id, sizeOrType);
                case BtfKind.Const:
                    NoMembers(at, id, kind, vlen);
                    return new BtfConst(id, sizeOrType);
                case BtfKind.Restrict:
                    NoMembers(at, id, kind, vlen);
                    return new BtfRestrict(id, sizeOrType);
                case BtfKind.TypeTag:
                    NoMembers(at, id, kind, vlen);
                    return new BtfTypeTag(id, name, sizeOrType, kindFlag);
                case BtfKind.Array:
                {
                    NoMembers(at, id, kind, vlen);
                    Need(12, $"ARRAY [{id}] data");
                    uint element = _cursor.U32(_position, "array type");
                    uint index = _cursor.U32(_position + 4, "array index_type");
                    uint count = _cursor.U32(_position + 8, "array nelems");
                    _position += 12;
                    return new BtfArray(id, element, index, count);
                }
                case BtfKind.Struct:
                case BtfKind.Union:
                {
                    Need(12L * vlen, $"{kind} [{id}] with {vlen} members");
                    var members = ImmutableArray.CreateBuilder<BtfMember>(vlen);
                    for (int i = 0; i < vlen; i++)
                    {
                        long m = _position + 12L * i;
                        string memberName = Name(m, _cursor.U32(m, "member name_off"));
                        uint memberType = _cursor.U32(m + 4, "member type");
                        uint offset = _cursor.U32(m + 8, "member offset");
                        members.Add(kindFlag
                            ? new BtfMember(memberName, memberType, offset & 0xffffff, (byte)(offset >> 24))
                            : new BtfMember(memberName, memberType, offset, 0));
                    }
                    _position += 12L * vlen;
                    return kind == BtfKind.Struct
                        ? new BtfStruct(id, name, sizeOrType, kindFlag, members.MoveToImmutable())
                        : new BtfUnion(id, name, sizeOrType, kindFlag, members.MoveToImmutable());
                }
                case BtfKind.Enum:
                case BtfKind.Enum64:
                {
                    bool is64 = kind == BtfKind.Enum64;
                    int recordSize = is64 ? 12 : 8;
                    Need((long)recordSize * vlen, $"{kind} [{id}] with {vlen} values");
                    if (sizeOrType is not (1 or 2 or 4 or 8))
                        BtfErrors.Throw(Sec, at + 8, $"{kind} [{id}] has invalid size {sizeOrType}");
                    var values = ImmutableArray.CreateBuilder<BtfEnumValue>(vlen);
                    for (int i = 0; i < vlen; i++)
                    {
                        long e = _position + (long)recordSize * i;
                        string valueName = Name(e, _cursor.U32(e, "enumerator name_off"));
                        long value;
                        if (is64)
                            value = (long)(((ulong)_cursor.U32(e + 8, "enum64 val_hi32") << 32) | _cursor.U32(e + 4, "enum64 val_lo32"));
                        else
                            value = kindFlag ? _cursor.I32(e + 4, "enum val") : _cursor.U32(e + 4, "enum val");
                        values.Add(new BtfEnumValue(valueName, value));
                    }
                    _position += (long)recordSize * vlen;
                    return new BtfEnum(id, name, sizeOrType, kindFlag, is64, values.MoveToImmutable());
                }
                case BtfKind.Forward:
                    NoMembers(at, id, kind, vlen);
                    return new BtfForward(id, name, kindFlag);
                case BtfKind.Function:
                    if (vlen > (int)BtfFunctionLinkage.Extern)
                        BtfErrors.Throw(Sec, at + 4, $"FUNC [{id}] has invalid linkage {vlen}");
                    return new BtfFunction(id, name, sizeOrType, (BtfFunctionLinkage)vlen);
                case BtfKind.FunctionProto:
                {
                    Need(8L * vlen, $"FUNC_PROTO [{id}] with {vlen} parameters");
                    var parameters = ImmutableArray.CreateBuilder<BtfParameter>(vlen);
                    bool variadic = false;
                    for (int i = 0; i < vlen; i++)
                    {
                        long p = _position + 8L * i;
                        uint paramNameOff = _cursor.U32(p, "param name_off");
                        uint paramType = _cursor.U32(p + 4, "param type");
                        if (paramType == 0 && i == vlen - 1 && paramNameOff == 0)
                        {
                            variadic = true;
                            break;
                        }
                        if (paramType == 0)
                            BtfErrors.Throw(Sec, p + 4, $"FUNC_PROTO [{id}] parameter {i} has type void");
                        parameters.Add(new BtfParameter(Name(p, paramNameOff), paramType));
                    }
                    _position += 8L * vlen;
                    return new BtfFunctionProto(id, sizeOrType, parameters.ToImmutable(), variadic);
                }
                case BtfKind.Variable:
                {
                    NoMembers(at, id, kind, vlen);
                    Need(4, $"VAR [{id}] data");
                    uint linkage = _cursor.U32(_position, "var linkage");
                    if (linkage > (uint)BtfVariableLinkage.GlobalExtern)
                        BtfErrors.Throw(Sec, _position, $"VAR [{id}] has invalid linkage {linkage}");
                    _position += 4;
                    return new BtfVariable(id, name, sizeOrType, (BtfVariableLinkage)linkage);
                }
                case BtfKind.DataSection:
                {
                    Need(12L * vlen, $"DATASEC [{id}] with {vlen} variables");
                    var variables = ImmutableArray.CreateBuilder<BtfVarSecInfo>(vlen);
                    for (int i = 0; i < vlen; i++)
                    {
                        long v = _position + 12L * i;
                        variables.Add(new BtfVarSecInfo(_cursor.U32(v, "secinfo type"), _cursor.U32(v + 4, "secinfo offset"), _cursor.U32(v + 8, "secinfo size")));
                    }
                    _position += 12L * vlen;
                    return new BtfDataSection(id, name, sizeOrType, variables.MoveToImmutable());
                }
                case BtfKind.Float:
                    NoMembers(at, id, kind, vlen);
                    if (sizeOrType is not (2 or 4 or 8 or 12 or 16))
                        BtfErrors.Throw(Sec, at + 8, $"FLOAT [{id}] has invalid size {sizeOrType}");
                    return new BtfFloat(id, name, sizeOrType);
                case BtfKind.DeclTag:
                {
                    NoMembers(at, id, kind, vlen);
                    Need(4, $"DECL_TAG [{id}] data");
                    int component = _cursor.I32(_position, "decl_tag component_idx");
                    if (component < -1)
                        BtfErrors.Throw(Sec, _position, $"DECL_TAG [{id}] has invalid component_idx {component}");
                    _position += 4;
                    return new BtfDeclTag(id, name, sizeOrType, component, kindFlag);
                }
                default:
                    return BtfErrors.Throw<BtfType>(Sec, at + 4, $"type [{id}] has unknown kind {(int)kind}");
            }
        }

        private static void NoMembers(long at, uint id, BtfKind kind, int vlen)
        {
            if (vlen != 0)
                BtfErrors.Throw(Sec, at + 4, $"{kind} [{id}] has vlen {vlen}, expected 0");
        }
    }
}
