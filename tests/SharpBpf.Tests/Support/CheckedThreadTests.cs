using Xunit.Sdk;

namespace SharpBpf.Tests.Support;

/// <summary>The test helper itself: what fails on another thread fails the test, on the test thread.</summary>
public sealed class CheckedThreadTests
{
    [Fact]
    public void An_assertion_failing_on_the_thread_is_rethrown_by_Join()
    {
        var thread = CheckedThread.Start(() => Assert.Equal(1, 2));
        var error = Assert.Throws<EqualException>(thread.Join);
        Assert.Contains("Expected: 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void JoinAll_waits_for_every_thread_before_rethrowing_the_first_failure()
    {
        var finished = 0;
        var threads = CheckedThread.StartAll(3, index =>
        {
            if (index == 1)
            {
                throw new InvalidOperationException("worker 1");
            }

            Interlocked.Increment(ref finished);
        });
        var error = Assert.Throws<InvalidOperationException>(() => CheckedThread.JoinAll(threads));
        Assert.Equal("worker 1", error.Message);
        Assert.Equal(2, Volatile.Read(ref finished));
    }
}
