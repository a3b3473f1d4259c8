using System.Buffers.Binary;
using SharpBpf.Btf;
using SharpBpf.Maps;

namespace SharpBpf.Tests.Maps;

internal static unsafe class MapTestKit
{
    public static MapCreateOptions Options(int cpus = 2) => new() { PossibleCpus = cpus, Epochs = new EpochManager() };

    public static BpfMap Create(MapType type, uint keySize, uint valueSize, uint maxEntries,
        MapCreateFlags flags = MapCreateFlags.None, int cpus = 2, params SpecialField[] fields) =>
        BpfMap.Create(new MapDefinition("m", type, keySize, valueSize, maxEntries, flags)
        {
            SpecialFields = fields,
            HasValueBtf = fields.Length > 0,
        }, Options(cpus));

    public static byte[] U32(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        return bytes;
    }

    public static byte[] U64(ulong value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, value);
        return bytes;
    }

    public static ulong ReadU64(ReadOnlySpan<byte> bytes) => BinaryPrimitives.ReadUInt64LittleEndian(bytes);

    public static byte[] Filled(int length, byte value) => Enumerable.Repeat(value, length).ToArray();

    /// <summary>Calls a program-side method with pinned key/value buffers, inside a run.</summary>
    public static long ProgramUpdate(BpfMap map, byte[] key, byte[] value, ulong flags, int cpu = 0)
    {
        using var run = map.Options.Epochs.EnterRun(cpu);
        fixed (byte* k = key)
        fixed (byte* v = value)
            return map.UpdateElem((nint)k, (nint)v, flags);
    }

    public static long ProgramDelete(BpfMap map, byte[] key)
    {
        using var run = map.Options.Epochs.EnterRun();
        fixed (byte* k = key) return map.DeleteElem((nint)k);
    }

    /// <summary>The value a program would see at the returned address (copied), or null for NULL.</summary>
    public static byte[]? ProgramLookup(BpfMap map, byte[] key, int cpu = 0)
    {
        using var run = map.Options.Epochs.EnterRun(cpu);
        fixed (byte* k = key)
        {
            var address = map.LookupElem((nint)k);
            return address == 0 ? null : new ReadOnlySpan<byte>((void*)address, map.ValueSize).ToArray();
        }
    }

    public static nint ProgramLookupAddress(BpfMap map, byte[] key)
    {
        fixed (byte* k = key) return map.LookupElem((nint)k);
    }

    public static byte[]? HostLookup(BpfMap map, byte[] key)
    {
        var value = new byte[map.HostValueSize];
        return map.Lookup(key, value) == Errno.None ? value : null;
    }
}
