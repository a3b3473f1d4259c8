using System.Net;
using SharpBpf.Examples.RateLimitedEcho;

// dotnet run --project examples/RateLimitedEcho -- [PORT]; then e.g. `nc -u 127.0.0.1 PORT`: five lines per 200 ms
// come back, the rest is dropped by the BPF program until its timer closes the window.
var port = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 5353;
using var server = new RateLimitedEchoServer(Path.Combine(AppContext.BaseDirectory, "rate_limiter.o"), new IPEndPoint(IPAddress.Loopback, port));
Console.WriteLine($"echoing on {server.LocalEndPoint}, at most 5 datagrams per source per 200 ms; Ctrl+C stops");
using var stop = new ManualResetEventSlim();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Set(); };
stop.Wait();
Console.WriteLine($"passed {server.Passed}, dropped {server.Dropped}");
