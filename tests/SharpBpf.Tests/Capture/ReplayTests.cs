using System.Buffers.Binary;
using System.Text.Json;
using SharpBpf.Capture;
using SharpBpf.Runtime;
using SharpBpf.Runtime.Replay;
using SharpBpf.Tests.Cli;
using SharpBpf.Tests.Support;
using SharpBpf.Time;

namespace SharpBpf.Tests.Capture;

/// <summary>
/// Captures replayed through examples/conntrack_timers.o, whose flows expire after 1 s idle: the capture's timestamps
/// drive the virtual clock, so a flow's timer fires between the same two packets it would on the wire.
/// </summary>
public sealed class ReplayTests : IDisposable
{
    private const long Second = 1_000_000_000;
    private const long Epoch = 1_767_225_600L * Second;
    private static readonly string Conntrack = Path.Combine(TestPaths.RepoRoot, "examples", "conntrack_timers.o");
    private static readonly string CommittedCapture = Path.Combine(TestPaths.RepoRoot, "examples", "captures", "conntrack.pcap");
    private readonly List<string> _files = [];

    [Theory]
    [InlineData(999_000_000, 0)]   // flow 1 comes back just before its 1 s timeout: it lived on
    [InlineData(1_001_000_000, 1)] // just after: its timer fired before that packet, and the packet made it anew
    public void A_flow_expires_between_the_packets_its_idle_time_falls_between(long gap, long expired)
    {
        var capture = WritePcap((0, Udp(1)), (Second / 2, Udp(1)), (9 * Second / 10, Udp(2)), (Second / 2 + gap, Udp(1)));
        using var obj = LoadFor(capture);
        using var reader = CaptureReader.Open(capture);

        var summary = CaptureReplay.Run(obj, "track_connections", reader);

        Assert.Null(summary.Error);
        Assert.Equal(4, summary.Packets);
        Assert.Equal(expired, Stat(obj, 1));
        Assert.Equal(2 + expired, Stat(obj, 0));
        Assert.Equal(2, obj.Maps["flows"].Count);
        Assert.Equal(expired, summary.TimersFired);
        Assert.Equal(2, summary.TimersArmedAtEnd);
    }

    [Fact]
    public void The_committed_capture_expires_every_flow_once_it_drains_and_reports_what_fired_when()
    {
        using var obj = LoadFor(CommittedCapture);
        using var reader = CaptureReader.Open(CommittedCapture);

        var summary = CaptureReplay.Run(obj, "track_connections", reader, new ReplayOptions { Drain = TimeSpan.FromSeconds(2) });

        Assert.Equal(87, summary.Packets);
        Assert.Equal(87, summary.Verdicts[XdpVerdicts.Pass]);
        Assert.Equal(0, obj.Maps["flows"].Count);
        Assert.Equal(13, summary.TimersFired);              // the script's comment: 6 flows, sparse ones expiring 7 times
        Assert.Equal(Stat(obj, 0), Stat(obj, 1));
        Assert.Equal(11_800_000_000, summary.CaptureNs);    // 9.8 s of packets and the 2 s drain
        // The samples follow capture time: flows rise and fall, and the last sample has none left.
        Assert.True(summary.Samples.Max(s => s.MapEntries[0]) >= 4);
        Assert.Equal(0, summary.Samples[^1].MapEntries[0]);
        Assert.Equal(summary.Samples.OrderBy(s => s.CaptureNs).Select(s => s.CaptureNs), summary.Samples.Select(s => s.CaptureNs));
    }

    [Fact]
    public void The_virtual_realtime_clock_reads_the_captures_own_timestamps()
    {
        var clock = CaptureReplay.VirtualClockFor(CommittedCapture);
        Assert.Equal(Epoch, clock.GetTime(ClockId.Realtime));
        Assert.Equal(new VirtualClock().Now, clock.Now);
    }

    [Fact]
    public void A_truncated_capture_stops_the_replay_with_what_was_replayed_before_it()
    {
        var whole = File.ReadAllBytes(WritePcap((0, Udp(1)), (1000, Udp(2)), (2000, Udp(3))));
        var cut = NewFile(".pcap");
        File.WriteAllBytes(cut, whole[..^5]);
        using var obj = LoadFor(cut);
        using var reader = CaptureReader.Open(cut);

        var summary = CaptureReplay.Run(obj, "track_connections", reader);

        var error = Assert.IsType<CaptureFormatException>(summary.Error);
        Assert.Equal(3L, error.Record);
        Assert.Equal(2, summary.Packets);
        Assert.Equal(2, obj.Maps["flows"].Count);
    }

    [Fact]
    public void A_runt_frame_stops_the_replay_naming_its_record()
    {
        var capture = WritePcap((0, Udp(1)), (1000, new byte[10]));
        using var obj = LoadFor(capture);
        using var reader = CaptureReader.Open(capture);

        var summary = CaptureReplay.Run(obj, "track_connections", reader);

        var error = Assert.IsType<CaptureFormatException>(summary.Error);
        Assert.Equal((2L, "a frame of 10 bytes is shorter than an Ethernet header"), (error.Record, error.Reason));
        Assert.Equal(1, summary.Packets);
    }

    [Fact]
    public void A_frame_longer_than_a_test_runs_linear_frame_stops_the_replay_naming_its_record()
    {
        var jumbo = Udp(2).Concat(new byte[9000]).ToArray();
        var capture = WritePcap((0, Udp(1)), (1000, jumbo));
        using var obj = LoadFor(capture);
        using var reader = CaptureReader.Open(capture);

        var error = Assert.IsType<CaptureFormatException>(CaptureReplay.Run(obj, "track_connections", reader).Error);

        Assert.Equal(2L, error.Record);
        Assert.Contains("exceeds the", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_capture_of_raw_IP_is_refused_naming_its_link_type()
    {
        var capture = NewFile(".pcap");
        File.WriteAllBytes(capture, TestCaptures.Pcap(false, false, 65535, 101, (1, 0, TestCaptures.Frame(1))));
        using var obj = LoadFor(capture);
        using var reader = CaptureReader.Open(capture);

        var error = Assert.IsType<CaptureFormatException>(CaptureReplay.Run(obj, "track_connections", reader).Error);

        Assert.Contains("link type 101 (Raw)", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Replay_json_has_the_contracts_shape_and_out_writes_the_passed_packets_with_their_times()
    {
        var output = NewFile(".pcap");
        var (code, stdout, stderr) = CliRunner.Run("replay", Conntrack, "--pcap", CommittedCapture, "--drain", "2s", "--json", "--out", output);

        Assert.Equal((0, ""), (code, stderr));
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.Equal(["engine", "clock", "program", "packets", "bytes", "verdicts", "timers", "capture_ns", "elapsed_ns", "packets_per_second", "packets_written"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("virtual", "track_connections", 87), (root.GetProperty("clock").GetString(), root.GetProperty("program").GetString(), root.GetProperty("packets").GetInt32()));
        Assert.Equal(["XDP_ABORTED", "XDP_DROP", "XDP_PASS", "XDP_TX", "XDP_REDIRECT"], root.GetProperty("verdicts").EnumerateObject().Select(p => p.Name));
        Assert.Equal(13, root.GetProperty("timers").GetProperty("fired").GetInt32());
        Assert.Equal(0, root.GetProperty("timers").GetProperty("armed_at_end").GetInt32());

        using var written = CaptureReader.Open(output);
        using var original = CaptureReader.Open(CommittedCapture);
        Assert.Equal(original.ReadAll().Select(p => (p.TimestampNs, Convert.ToHexString(p.Data.Span))),
            written.ReadAll().Select(p => (p.TimestampNs, Convert.ToHexString(p.Data.Span))));
    }

    [Fact]
    public void Replay_of_the_pcapng_twin_gives_the_same_summary()
    {
        var pcap = CliRunner.Run("replay", Conntrack, "--pcap", CommittedCapture, "--json");
        var pcapng = CliRunner.Run("replay", Conntrack, "--pcap", Path.ChangeExtension(CommittedCapture, ".pcapng"), "--json");
        Assert.Equal((0, 0), (pcap.ExitCode, pcapng.ExitCode));
        Assert.Equal(WithoutTiming(pcap.Out), WithoutTiming(pcapng.Out));
    }

    [Fact]
    public void A_bad_capture_exits_2_with_one_line_naming_file_record_and_offset_and_still_reports()
    {
        var whole = File.ReadAllBytes(CommittedCapture);
        var cut = NewFile(".pcap");
        File.WriteAllBytes(cut, whole[..200]);

        var (code, stdout, stderr) = CliRunner.Run("replay", Conntrack, "--pcap", cut, "--json");

        Assert.Equal(2, code);
        Assert.Matches(@"^sharpbpf: [^:]+\.pcap: record \d+ at offset \d+: truncated ", stderr);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.True(JsonDocument.Parse(stdout).RootElement.GetProperty("packets").GetInt32() > 0);
    }

    [Theory]
    [InlineData("--speed", "0", "--speed must be a positive number")]
    [InlineData("--plot", "picture.txt", "the picture must be a .svg or .png file")]
    [InlineData("--drain", "2 seconds", "bad duration")]
    public void Bad_options_are_usage_errors(string option, string value, string message)
    {
        var (code, _, stderr) = CliRunner.Run("replay", Conntrack, "--pcap", CommittedCapture, option, value);
        Assert.Equal(2, code);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_program_that_is_not_XDP_is_refused()
    {
        var (code, _, stderr) = CliRunner.Run("replay", Path.Combine(TestPaths.RepoRoot, "examples", "tc_classifier.o"), "--pcap", CommittedCapture);
        Assert.Equal(2, code);
        Assert.Contains("no XDP program", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(".svg", "<svg")]
    [InlineData(".png", "\u0089PNG")]
    public void Plot_draws_the_replay(string extension, string start)
    {
        var picture = NewFile(extension);
        var (code, _, stderr) = CliRunner.Run("replay", Conntrack, "--pcap", CommittedCapture, "--drain", "2s", "--plot", picture);
        Assert.Equal((0, ""), (code, stderr));
        var head = System.Text.Encoding.Latin1.GetString(File.ReadAllBytes(picture).AsSpan(0, 200));
        Assert.Contains(start, head, StringComparison.Ordinal);
        if (extension == ".svg") Assert.Contains("flows entries", File.ReadAllText(picture), StringComparison.Ordinal);
    }

    [Fact]
    public void The_human_summary_shows_every_map_alike_with_its_BTF_types()
    {
        var (code, stdout, _) = CliRunner.Run("replay", Conntrack, "--pcap", CommittedCapture, "--dump-maps");

        Assert.Equal(0, code);
        Assert.Contains("flows: lru_hash, 3 entries, key 16 B, value 40 B (struct flow_key → struct flow)", stdout, StringComparison.Ordinal);
        Assert.Contains("{src_addr=10.0.0.2, dst_addr=10.0.0.53, src_port=40000, dst_port=53, protocol=17, pad=[0, 0, 0]}", stdout, StringComparison.Ordinal);
        Assert.Contains("{idle_timer=<bpf_timer>, packets=50,", stdout, StringComparison.Ordinal);
        Assert.Contains("stats: array, 4 entries, key 4 B, value 8 B (__u32 → __u64)", stdout, StringComparison.Ordinal);
        Assert.Contains("{idle_timeout_ns=1000000000}", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("{\"", stdout, StringComparison.Ordinal); // no JSON squeezed into a column
    }

    [Fact]
    public void On_the_real_clock_the_packets_are_paced_and_all_replayed()
    {
        using var obj = BpfObject.Load(Conntrack, new BpfObjectOptions { Clock = SystemClock.Instance, TimerSchedulingPriority = 0 });
        using var reader = CaptureReader.Open(CommittedCapture);

        var summary = CaptureReplay.Run(obj, "track_connections", reader, new ReplayOptions { Speed = 100 });

        Assert.Null(summary.Error);
        Assert.Equal(87, summary.Verdicts[XdpVerdicts.Pass]);
        // Pacing waits for each packet's time: the replay cannot end before the capture's span, scaled.
        Assert.True(summary.ElapsedNs >= 9_800_000_000 / 100, $"{summary.ElapsedNs} ns");
    }

    public void Dispose()
    {
        foreach (var file in _files) File.Delete(file);
    }

    private static BpfObject LoadFor(string capture) =>
        BpfObject.Load(Conntrack, new BpfObjectOptions { Clock = CaptureReplay.VirtualClockFor(capture) });

    private static long Stat(BpfObject obj, uint slot)
    {
        var value = new byte[8];
        Assert.Equal(SharpBpf.Maps.Errno.None, obj.Maps["stats"].Lookup(BitConverter.GetBytes(slot), value));
        return BitConverter.ToInt64(value);
    }

    private static string WithoutTiming(string json) =>
        System.Text.RegularExpressions.Regex.Replace(json, "\"(elapsed_ns|packets_per_second)\": \\d+", "");

    private string NewFile(string extension)
    {
        var path = Path.Combine(Path.GetTempPath(), $"sharpbpf-replay-{Guid.NewGuid():N}{extension}");
        _files.Add(path);
        return path;
    }

    private string WritePcap(params (long AtNs, byte[] Frame)[] packets)
    {
        var path = NewFile(".pcap");
        using (var writer = new PcapWriter(path))
        {
            foreach (var (at, frame) in packets) writer.Write(Epoch + at, frame);
        }

        return path;
    }

    /// <summary>An Ethernet/IPv4/UDP frame of flow <paramref name="flow"/> (its source port).</summary>
    private static byte[] Udp(int flow)
    {
        var frame = new byte[14 + 20 + 8 + 4];
        frame[12] = 0x08;
        frame[14] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(16), 32);
        frame[22] = 64;
        frame[23] = 17;
        frame.AsSpan(26, 4).Fill(10);
        frame.AsSpan(30, 4).Fill(20);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(34), (ushort)(1000 + flow));
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(36), 53);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(38), 12);
        return frame;
    }
}
