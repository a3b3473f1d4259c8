using System.Buffers.Binary;
using SharpBpf.Kernel;
using SharpBpf.Kernel.Internal;
using SharpBpf.Tests.Support;

namespace SharpBpf.Tests.Kernel;

/// <summary>
/// bpf_timer in the real kernel: these tests wait real time (kernel hrtimers cannot be driven virtually), polling for
/// the fire with a hang guard only: how late the kernel fires is measured in bench/ (timers.sh), not asserted here.
/// </summary>
public class KernelTimerTests
{
    private const uint Eperm = unchecked((uint)-1);
    private const uint Ebusy = unchecked((uint)-16);
    private static readonly byte[] Zero = new byte[4];

    private static byte[] Delay(ulong nanoseconds)
    {
        byte[] args = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(args, nanoseconds);
        return args;
    }

    private static ulong Fires(KernelObject obj) => BitConverter.ToUInt64(obj.Maps["fires"].Lookup(Zero)!);

    /// <summary>Polls until the fire count reaches <paramref name="expected"/>, or the hang guard runs out.</summary>
    private static ulong WaitForFires(KernelObject obj, ulong expected)
    {
        var deadline = DateTime.UtcNow + CheckedThread.HangGuard;
        ulong fires;
        while ((fires = Fires(obj)) < expected && DateTime.UtcNow < deadline)
            obj.WaitRealTime(TimeSpan.FromMilliseconds(1));
        return fires;
    }

    [KernelFact]
    public void ArmedTimer_FiresItsCallbackAfterOneMillisecond()
    {
        using var obj = KernelObject.Open(KernelTestData.PathOf("timer.o"));

        var armed = obj.Programs["arm"].Run(contextIn: Delay(1_000_000));

        Assert.Equal(0u, armed.ReturnValue);
        Assert.Equal(1UL, WaitForFires(obj, 1));
        // struct elem { u64 armed_at; struct bpf_timer timer; }: user space sees the timer bytes as zero.
        byte[] value = obj.Maps["timers"].Lookup(Zero)!;
        Assert.NotEqual(0UL, BitConverter.ToUInt64(value, 0));
        Assert.All(value[8..24], b => Assert.Equal(0, b));
        Assert.Equal(Ebusy, obj.Programs["init_only"].Run().ReturnValue);
    }

    [KernelFact]
    public void ReleaseMaps_CancelsArmedTimers_AndInitThenReturnsEperm()
    {
        using var obj = KernelObject.Open(KernelTestData.PathOf("timer.o"));
        Assert.Equal(0u, obj.Programs["arm"].Run(contextIn: Delay(20_000_000)).ReturnValue);

        obj.ReleaseMaps();

        Assert.True(obj.MapsReleased);
        Assert.Equal(Eperm, obj.Programs["init_only"].Run().ReturnValue);
        obj.WaitRealTime(TimeSpan.FromMilliseconds(40));
        // Read through a transient by-id fd: the callback never ran.
        Assert.Equal(0UL, Fires(obj));
        // ...and that read left no user reference behind.
        Assert.Equal(Eperm, obj.Programs["init_only"].Run().ReturnValue);
        obj.ReleaseMaps();
    }

    [KernelFact]
    public void MapFdById_IsAUserReference_OnThisKernel()
    {
        using var obj = KernelObject.Open(KernelTestData.PathOf("timer.o"));
        obj.ReleaseMaps();
        var init = obj.Programs["init_only"];
        Assert.Equal(Eperm, init.Run().ReturnValue);

        int fd = LibBpf.MapGetFdById(obj.Maps["timers"].Id);
        Assert.True(fd >= 0);
        try
        {
            Assert.Equal(0u, init.Run().ReturnValue);
        }
        finally
        {
            LibC.Close(fd);
        }
        // Closing the last user reference freed the timer again: init allocates, sees no user, says -EPERM.
        Assert.Equal(Eperm, init.Run().ReturnValue);
    }

    [KernelFact]
    public void MapNoProgramUses_IsGoneAfterRelease()
    {
        using var obj = KernelObject.Open(KernelTestData.PathOf("timer.o"));
        var orphan = obj.Maps["orphan"];
        Assert.Equal(0, orphan.Update(Zero, Zero));

        obj.ReleaseMaps();

        var error = Assert.Throws<KernelCallException>(() => orphan.Entries());
        Assert.Equal(2, error.Errno); // ENOENT: BPF_MAP_GET_FD_BY_ID finds no map with that id
        Assert.Contains("no loaded program uses it", error.Message);
    }

    [KernelFact]
    public void ProgramsStayRunnableAfterRelease_AndTheirMapsReadable()
    {
        using var obj = KernelObject.Open(KernelTestData.PathOf("xdp_counter.o"));
        byte[] packet = new byte[14];
        obj.Programs["xdp_count"].Run(packet);

        obj.ReleaseMaps();
        var result = obj.Programs["xdp_count"].Run(packet, repeat: 2);

        Assert.Equal(2u, result.ReturnValue);
        Assert.Equal(3UL, BitConverter.ToUInt64(obj.Maps["counters"].Lookup(Zero)!));
        Assert.Equal(3UL, BitConverter.ToUInt64(obj.Maps["xdp_coun.bss"].Entries().Single().Value));
    }
}
