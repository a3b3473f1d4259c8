using System.Net;
using System.Net.Sockets;
using SharpBpf.Runtime;
using SharpBpf.Time;

namespace SharpBpf.Examples.RateLimitedEcho;

/// <summary>
/// A UDP echo service whose admission policy is a BPF program: every datagram is framed as it would arrive on a NIC
/// and run through <c>limit_sources</c> (rate_limiter.o); XDP_PASS echoes it back, anything else drops it. The
/// program's per-source windows are closed by bpf_timer callbacks on the real clock, fired by SharpBpf's driver
/// thread while the service runs.
/// </summary>
public sealed class RateLimitedEchoServer : IDisposable
{
    private const uint XdpPass = 2;
    private readonly UdpClient _socket;
    private readonly PacketRunner _runner;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _passed;
    private long _dropped;

    public RateLimitedEchoServer(string objectPath, IPEndPoint listenOn)
    {
        Object = BpfObject.Load(objectPath, new BpfObjectOptions { Clock = SystemClock.Instance });
        _runner = Object.Programs["limit_sources"].CreatePacketRunner();
        _socket = new UdpClient(listenOn);
        LocalEndPoint = (IPEndPoint)_socket.Client.LocalEndPoint!;
        _loop = Task.Run(ServeAsync);
    }

    /// <summary>The loaded object: its <c>windows</c> map shows each source's window.</summary>
    public BpfObject Object { get; }

    public IPEndPoint LocalEndPoint { get; }

    public long Passed => Interlocked.Read(ref _passed);

    public long Dropped => Interlocked.Read(ref _dropped);

    private async Task ServeAsync()
    {
        var frame = new byte[65_536 + 64];
        while (!_stop.IsCancellationRequested)
        {
            UdpReceiveResult datagram;
            try
            {
                datagram = await _socket.ReceiveAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (SocketException)
            {
                continue; // an ICMP error from an earlier send to a client that went away
            }

            // One receive loop, so one runner: a PacketRunner is one packet buffer, not for concurrent use.
            var length = DatagramFrame.Write(datagram.RemoteEndPoint, LocalEndPoint, datagram.Buffer, frame);
            if (_runner.Run(frame.AsSpan(0, length)) == XdpPass)
            {
                Interlocked.Increment(ref _passed);
                await _socket.SendAsync(datagram.Buffer, datagram.RemoteEndPoint, _stop.Token).ConfigureAwait(false);
            }
            else
            {
                Interlocked.Increment(ref _dropped);
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
        try
        {
            _loop.Wait();
        }
        catch (AggregateException e) when (e.InnerExceptions.All(x => x is OperationCanceledException or ObjectDisposedException))
        {
            // stopping while a receive or send was in flight
        }

        _runner.Dispose();
        Object.Dispose();
        _stop.Dispose();
    }
}
