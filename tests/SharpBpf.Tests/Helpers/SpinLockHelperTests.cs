using SharpBpf.Runtime;
using SharpBpf.Tests.Support;

namespace SharpBpf.Tests.Helpers;

/// <summary>bpf_spin_lock/bpf_spin_unlock serialize programs on several threads, as in the kernel.</summary>
public class SpinLockHelperTests
{
    [Fact]
    public void Locked_increments_from_several_threads_lose_nothing()
    {
        // ok_lock_and_timer's take_token takes the lock, updates counters and unlocks; run it from four threads.
        using var obj = BpfObject.Load(Path.Combine(TestPaths.TestData, "corpus", "ok_lock_and_timer_v4.o"));
        var program = obj.Programs["take_token"];
        const int PerThread = 2_000;
        // The first run creates the bucket and initializes its timer. Not from the threads: the program's own
        // check-then-create races there (as in Linux), and the loser's bpf_timer_init gives -EBUSY (return 2)
        // before it counts the request.
        Assert.Equal(0UL, program.Run(new byte[64]).ReturnValue);
        var threads = CheckedThread.StartAll(4, _ =>
        {
            for (var i = 0; i < PerThread; i++)
            {
                var returned = program.Run(new byte[64]).ReturnValue;
                Assert.True(returned is 0 or 5, $"take_token returned {returned}, neither allowed (0) nor denied (5)");
            }
        });
        CheckedThread.JoinAll(threads);
        // struct bucket { u64 tokens; bpf_spin_lock lock; u32 requests; ... }: requests counts every run.
        var value = new byte[obj.Maps["buckets"].ValueSize];
        Assert.Equal(SharpBpf.Maps.Errno.None, obj.Maps["buckets"].Lookup(BitConverter.GetBytes(42u), value));
        Assert.Equal(1u + (4u * PerThread), BitConverter.ToUInt32(value, 12));
    }
}
