using System.Globalization;
using SharpBpf.Btf.Internal;

namespace SharpBpf.Btf;

/// <summary>
/// The value libbpf would patch into the instruction for one CO-RE relocation. <see cref="FieldSize"/> is the
/// accessed field's size for <see cref="BtfCoreRelocationKind.FieldByteOffset"/> on a non-bitfield (libbpf
/// adjusts the load/store width to it); null otherwise. <see cref="Validate"/> says whether the compiler's
/// value in the instruction must equal <see cref="Value"/> (libbpf's <c>validate</c>): false for bitfield
/// offsets, sizes and left shifts, where clang's storage-unit choice may legitimately differ from libbpf's.
/// </summary>
internal sealed record BtfCoreResult(ulong Value, uint? FieldSize, bool Validate = true);

/// <summary>
/// Resolves CO-RE relocations against the object's OWN BTF, as libbpf's <c>relo_core.c</c> does when the target
/// BTF is the local one: the access string is walked like <c>bpf_core_parse_spec</c> (first index is an array
/// index on the root type, then member indices for structs/unions and element indices for arrays; anonymous
/// members are entered but do not count as named accessors) and the value is computed like
/// <c>bpf_core_calc_field_relo</c>, <c>bpf_core_calc_type_relo</c> and <c>bpf_core_calc_enumval_relo</c>.
/// Every existence check is therefore 1. Deliberately does not search kernel BTF for candidates, match
/// "flavors" (<c>struct foo___v2</c>) or patch instructions.
/// </summary>
internal static class BtfCoreResolver
{
    private const string Sec = BtfErrors.BtfExtSection;

    public static BtfCoreResult Resolve(BtfSpec btf, BtfCoreRelocation relocation)
    {
        ArgumentNullException.ThrowIfNull(btf);
        ArgumentNullException.ThrowIfNull(relocation);
        var indices = ParseAccess(relocation);
        switch (relocation.Kind)
        {
            case BtfCoreRelocationKind.TypeIdLocal:
            case BtfCoreRelocationKind.TypeIdTarget:
            case BtfCoreRelocationKind.TypeExists:
            case BtfCoreRelocationKind.TypeMatches:
            case BtfCoreRelocationKind.TypeSize:
                if (indices is not [0])
                    Fail(relocation, $"type relocation needs access string \"0\", not \"{relocation.AccessString}\"");
                if (relocation.TypeId == 0 && relocation.Kind != BtfCoreRelocationKind.TypeIdLocal)
                    Fail(relocation, "type relocation against void");
                return relocation.Kind switch
                {
                    BtfCoreRelocationKind.TypeIdLocal or BtfCoreRelocationKind.TypeIdTarget => new(relocation.TypeId, null),
                    BtfCoreRelocationKind.TypeSize => new((ulong)SizeOf(btf, relocation, relocation.TypeId), null),
                    _ => new(1, null),
                };
            case BtfCoreRelocationKind.EnumValueExists:
            case BtfCoreRelocationKind.EnumValue:
            {
                if (btf.SkipQualifiersAndTypedefs(relocation.TypeId) is not BtfEnum enumeration)
                    return Fail<BtfCoreResult>(relocation, $"enum relocation against {btf.TypeName(relocation.TypeId)}, which is not an enum");
                if (indices.Length != 1 || indices[0] >= enumeration.Values.Length)
                    return Fail<BtfCoreResult>(relocation, $"enumerator index \"{relocation.AccessString}\" is out of range for {btf.TypeName(enumeration.Id)}");
                if (relocation.Kind == BtfCoreRelocationKind.EnumValueExists)
                    return new(1, null);
                // ENUM values are __s32 in libbpf and widen by sign; ENUM64 values are taken as 64 bits.
                long value = enumeration.Values[indices[0]].Value;
                return new(enumeration.Is64 ? (ulong)value : (ulong)(long)unchecked((int)value), null);
            }
            default:
                return ResolveField(btf, relocation, indices);
        }
    }

    private static BtfCoreResult ResolveField(BtfSpec btf, BtfCoreRelocation relocation, int[] indices)
    {
        // Walk the access string; remember the last named accessor (a member with a name, or an array element).
        var root = btf.SkipQualifiersAndTypedefs(relocation.TypeId);
        long bitOffset = (long)indices[0] * SizeOf(btf, relocation, root.Id) * 8;
        uint lastContainer = root.Id, currentId = root.Id;
        int lastMember = -1; // -1: the last accessor is an array element (or the root)
        for (int i = 1; i < indices.Length; i++)
        {
            var current = btf.SkipQualifiersAndTypedefs(currentId);
            int index = indices[i];
            if (current is BtfComposite composite)
            {
                if (index >= composite.Members.Length)
                    Fail(relocation, $"member index {index} is out of range for {btf.TypeName(composite.Id)}");
                var member = composite.Members[index];
                bitOffset += member.BitOffset;
                if (member.Name.Length != 0)
                {
                    lastContainer = composite.Id;
                    lastMember = index;
                }
                currentId = member.TypeId;
            }
            else if (current is BtfArray array)
            {
                var element = btf.SkipQualifiersAndTypedefs(array.ElementTypeId);
                bool flexible = array.Count == 0;
                if (!flexible && (uint)index >= array.Count)
                    Fail(relocation, $"array index {index} is out of range for {btf.TypeName(array.Id)}");
                bitOffset += (long)index * SizeOf(btf, relocation, element.Id) * 8;
                lastContainer = element.Id;
                lastMember = -1;
                currentId = element.Id;
            }
            else
            {
                Fail(relocation, $"access string \"{relocation.AccessString}\" steps into {btf.TypeName(current.Id)}, which has no members");
            }
        }

        if (relocation.Kind == BtfCoreRelocationKind.FieldExists)
            return new(1, null);

        if (lastMember < 0)
        {
            long size = SizeOf(btf, relocation, lastContainer);
            return relocation.Kind switch
            {
                BtfCoreRelocationKind.FieldByteOffset => new((ulong)(bitOffset / 8), (uint)size),
                BtfCoreRelocationKind.FieldByteSize => new((ulong)size, null),
                _ => Fail<BtfCoreResult>(relocation, $"{relocation.Kind} cannot be applied to an array element"),
            };
        }

        var container = (BtfComposite)btf[lastContainer];
        var field = container.Members[lastMember];
        var fieldType = btf.SkipQualifiersAndTypedefs(field.TypeId);
        long byteSize, byteOffset, bitSize = field.BitfieldSize;
        bool bitfield = bitSize > 0;
        if (bitfield)
        {
            if (!btf.TrySizeOf(fieldType.Id, out byteSize) || byteSize <= 0)
                Fail(relocation, "bitfield of a type without size");
            byteOffset = bitOffset / 8 / byteSize * byteSize;
            while (bitOffset + bitSize - byteOffset * 8 > byteSize * 8)
            {
                if (byteSize >= 8)
                    Fail(relocation, "bitfield cannot be read with a 64-bit load");
                byteSize *= 2;
                byteOffset = bitOffset / 8 / byteSize * byteSize;
            }
        }
        else
        {
            byteSize = SizeOf(btf, relocation, fieldType.Id);
            byteOffset = bitOffset / 8;
            bitSize = byteSize * 8;
        }

        return relocation.Kind switch
        {
            BtfCoreRelocationKind.FieldByteOffset => new((ulong)byteOffset, bitfield ? null : (uint)byteSize, !bitfield),
            BtfCoreRelocationKind.FieldByteSize => new((ulong)byteSize, null, !bitfield),
            BtfCoreRelocationKind.FieldSigned => new(
                fieldType is BtfEnum { IsSigned: true } || fieldType is BtfInt { IsSigned: true } ? 1UL : 0UL, null),
            BtfCoreRelocationKind.FieldLShiftU64 => new((ulong)(64 - (bitOffset + bitSize - byteOffset * 8)), null, !bitfield),
            BtfCoreRelocationKind.FieldRShiftU64 => new((ulong)(64 - bitSize), null),
            _ => Fail<BtfCoreResult>(relocation, $"unsupported field relocation {relocation.Kind}"),
        };
    }

    private static int[] ParseAccess(BtfCoreRelocation relocation)
    {
        var parts = relocation.AccessString.Split(':');
        var indices = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (parts[i].Length == 0 || !parts[i].All(char.IsAsciiDigit)
                || !int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out indices[i]))
                Fail(relocation, $"malformed access string \"{relocation.AccessString}\"");
        }
        return indices;
    }

    private static long SizeOf(BtfSpec btf, BtfCoreRelocation relocation, uint id) =>
        btf.TrySizeOf(id, out var size) ? size : Fail<long>(relocation, $"{btf.TypeName(id)} has no size");

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void Fail(BtfCoreRelocation relocation, string reason) =>
        BtfErrors.Throw(Sec, relocation.RecordOffset,
            $"CO-RE relocation at insn {relocation.InstructionIndex} ({relocation.Kind}, type [{relocation.TypeId}], access \"{relocation.AccessString}\"): {reason}");

    private static T Fail<T>(BtfCoreRelocation relocation, string reason) =>
        BtfErrors.Throw<T>(Sec, relocation.RecordOffset,
            $"CO-RE relocation at insn {relocation.InstructionIndex} ({relocation.Kind}, type [{relocation.TypeId}], access \"{relocation.AccessString}\"): {reason}");
}
