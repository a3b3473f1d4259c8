using System.Net;
using System.Net.Sockets;
using SharpBpf.Examples.RateLimitedEcho;

namespace SharpBpf.Examples.Tests;

/// <summary>
/// The embedded host example over loopback: the BPF program admits five datagrams per source per window, and its
/// bpf_timer, on the real clock, closes the window so the source is admitted again.
/// </summary>
public class RateLimitedEchoTests
{
    // Only a guard against a hang: every wait below ends on an event, not on time.
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_burst_is_cut_at_five_and_the_timer_reopens_the_window()
    {
        using var server = new RateLimitedEchoServer("objects/rate_limiter.o", new IPEndPoint(IPAddress.Loopback, 0));
        using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        client.Connect(server.LocalEndPoint);

        for (var i = 0; i < 8; i++) await client.SendAsync(new[] { (byte)i });
        await Until(() => server.Passed + server.Dropped == 8);
        Assert.Equal((5, 3), (server.Passed, server.Dropped));
        var echoed = new List<byte>();
        for (var i = 0; i < 5; i++) echoed.Add((await client.ReceiveAsync().WaitAsync(HangGuard)).Buffer[0]);
        Assert.Equal([0, 1, 2, 3, 4], echoed);

        // The window's timer fires on the real clock and its callback sets open = 0.
        await Until(() => WindowOpen(server) == 0);
        await client.SendAsync(new byte[] { 9 });
        Assert.Equal(9, (await client.ReceiveAsync().WaitAsync(HangGuard)).Buffer[0]);
        Assert.Equal(6, server.Passed);
    }

    private static uint WindowOpen(RateLimitedEchoServer server)
    {
        var value = new byte[server.Object.Maps["windows"].ValueSize];
        return server.Object.Maps["windows"].Lookup(IPAddress.Loopback.GetAddressBytes(), value) == Maps.Errno.None
            ? BitConverter.ToUInt32(value, 20) : uint.MaxValue;
    }

    private static async Task Until(Func<bool> condition)
    {
        var start = DateTime.UtcNow;
        while (!condition())
        {
            if (DateTime.UtcNow - start > HangGuard) throw new TimeoutException("the condition did not come true (hang guard)");
            await Task.Delay(5);
        }
    }
}
