using System.Buffers.Binary;
using SharpBpf.Kernel;
using SharpBpf.Tests.Support;

namespace SharpBpf.Tests.Kernel;

/// <summary>
/// Maps declared with LIBBPF_PIN_BY_NAME: the kernel engine pins them only in a private bpffs directory per object
/// and removes it, so a second run never reuses the first run's map and nothing is left behind.
/// </summary>
public class KernelPinningTests
{
    private static readonly byte[] ZeroKey = new byte[4];
    private static readonly byte[] Packet = new byte[64];

    private static ulong CountAfterTwoPackets(string path, out string? pinDirectory)
    {
        using var obj = KernelObject.Open(path);
        pinDirectory = obj.PinDirectory;
        Assert.NotNull(pinDirectory);
        // The map really is pinned while the object lives (so this test would notice a leaked pin).
        Assert.True(File.Exists(Path.Combine(pinDirectory, "pinned_packets")), $"no pin in {pinDirectory}");
        obj.Programs["count_pinned"].Run(Packet);
        obj.Programs["count_pinned"].Run(Packet);
        return BinaryPrimitives.ReadUInt64LittleEndian(obj.Maps["pinned_packets"].Lookup(ZeroKey));
    }

    [KernelFact]
    public void Two_objects_in_a_row_start_from_fresh_maps_and_leave_no_pin()
    {
        var path = RealWorldData.PathOf("pinned_counter.o");

        var first = CountAfterTwoPackets(path, out var firstDirectory);
        var second = CountAfterTwoPackets(path, out var secondDirectory);

        Assert.Equal(2UL, first);
        Assert.Equal(2UL, second);
        Assert.NotEqual(firstDirectory, secondDirectory);
        Assert.False(Directory.Exists(firstDirectory), $"{firstDirectory} outlived its object");
        Assert.False(Directory.Exists(secondDirectory), $"{secondDirectory} outlived its object");
        Assert.False(File.Exists("/sys/fs/bpf/pinned_packets"), "a pin went to the shared bpffs root");
    }

    [KernelFact]
    public void Releasing_the_maps_unpins_them()
    {
        using var obj = KernelObject.Open(RealWorldData.PathOf("pinned_counter.o"));
        var directory = obj.PinDirectory;
        Assert.NotNull(directory);

        obj.ReleaseMaps();

        Assert.False(Directory.Exists(directory));
        // The program still holds its map, so it keeps running after the pin is gone.
        Assert.Equal(2u, obj.Programs["count_pinned"].Run(Packet).ReturnValue);
    }
}
