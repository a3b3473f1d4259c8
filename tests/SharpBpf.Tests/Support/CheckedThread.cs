using System.Runtime.ExceptionServices;

namespace SharpBpf.Tests.Support;

/// <summary>
/// A background thread for a test. An exception thrown on a plain thread — a failed assertion included — kills the
/// test host; here it is kept and rethrown on the test thread by <see cref="Join"/>, so the test fails with it.
/// </summary>
internal sealed class CheckedThread
{
    /// <summary>How long <see cref="Join"/> waits. Only a guard against a hang (a deadlock would otherwise stall the
    /// whole run): it says nothing about speed, and no passing test comes near it.</summary>
    public static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    private readonly Thread _thread;
    private ExceptionDispatchInfo? _failure;

    private CheckedThread(Action body, string name)
    {
        _thread = new Thread(() =>
        {
            try
            {
                body();
            }
            catch (Exception exception)
            {
                _failure = ExceptionDispatchInfo.Capture(exception);
            }
        })
        { IsBackground = true, Name = name };
    }

    public static CheckedThread Start(Action body, string name = "test thread")
    {
        var thread = new CheckedThread(body, name);
        thread._thread.Start();
        return thread;
    }

    /// <summary>Starts <paramref name="count"/> threads running <paramref name="body"/>(index).</summary>
    public static CheckedThread[] StartAll(int count, Action<int> body, string name = "test worker") =>
        Enumerable.Range(0, count).Select(index => Start(() => body(index), $"{name} {index}")).ToArray();

    /// <summary>Waits for the thread and rethrows what it threw. Fails the test if the thread hangs.</summary>
    public void Join()
    {
        Assert.True(_thread.Join(HangGuard), $"{_thread.Name} did not finish within {HangGuard.TotalSeconds} s: hung");
        _failure?.Throw();
    }

    /// <summary>Joins every thread; the first failure (in start order) is rethrown after all have been waited for.</summary>
    public static void JoinAll(IEnumerable<CheckedThread> threads)
    {
        var failures = new List<Exception>();
        foreach (var thread in threads)
        {
            try
            {
                thread.Join();
            }
            catch (Exception exception)
            {
                failures.Add(exception);
            }
        }

        if (failures.Count > 0)
        {
            ExceptionDispatchInfo.Throw(failures[0]);
        }
    }
}
