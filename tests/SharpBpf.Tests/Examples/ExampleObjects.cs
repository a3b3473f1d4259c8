using System.Buffers.Binary;
using SharpBpf.Maps;
using SharpBpf.Runtime;
using SharpBpf.Tests.Support;
using SharpBpf.Time;

namespace SharpBpf.Tests.Examples;

/// <summary>Loads the committed example objects on a virtual clock and reads their maps the way user space would.</summary>
internal static class ExampleObjects
{
    public static (BpfObject Object, VirtualClock Clock) Load(string example)
    {
        var clock = new VirtualClock();
        return (BpfObject.Load(Path.Combine(TestPaths.RepoRoot, "examples", example), new BpfObjectOptions { Clock = clock }), clock);
    }

    public static byte[] Packet(string name) => File.ReadAllBytes(Path.Combine(TestPaths.RepoRoot, "examples", "packets", name));

    public static byte[] Value(BpfMap map, uint index) => Value(map, BitConverter.GetBytes(index));

    public static byte[] Value(BpfMap map, byte[] key)
    {
        var value = new byte[map.HostValueSize];
        Assert.Equal(Errno.None, map.Lookup(key, value));
        return value;
    }

    public static ulong U64(byte[] value, int offset) => BinaryPrimitives.ReadUInt64LittleEndian(value.AsSpan(offset));

    public static uint U32(byte[] value, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(value.AsSpan(offset));

    public static long Ms(long milliseconds) => milliseconds * 1_000_000;
}
