using SharpBpf.Capture;

namespace SharpBpf.Tests.Capture;

public class CaptureReaderTests
{
    private static List<CapturedPacket> ReadAll(byte[] file)
    {
        using var reader = CaptureReader.Open(new MemoryStream(file), "test.cap");
        return [.. reader.ReadAll()];
    }

    private static CaptureFormatException Refused(byte[] file, out int packetsBefore)
    {
        using var reader = CaptureReader.Open(new MemoryStream(file), "bad.cap");
        packetsBefore = 0;
        try
        {
            while (reader.Read(out _)) packetsBefore++;
        }
        catch (CaptureFormatException e)
        {
            return e;
        }

        throw new Xunit.Sdk.XunitException($"the capture was read to its end ({packetsBefore} packets) without an error");
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void Pcap_in_either_resolution_and_byte_order_gives_the_packets_and_their_times(bool nanoseconds, bool bigEndian)
    {
        var file = TestCaptures.Pcap(nanoseconds, bigEndian, 65535, 1,
            (1_700_000_000, 5, TestCaptures.Frame(1)), (1_700_000_001, 999_999, TestCaptures.Frame(2, 100)));

        var packets = ReadAll(file);

        var unit = nanoseconds ? 1L : 1000L;
        Assert.Equal([1_700_000_000_000_000_000 + 5 * unit, 1_700_000_001_000_000_000 + 999_999 * unit], packets.Select(p => p.TimestampNs));
        Assert.Equal([1, 2], packets.Select(p => p.Data.Span[^1]));
        Assert.Equal([60, 100], packets.Select(p => p.OriginalLength));
        Assert.All(packets, p => Assert.Equal(LinkType.Ethernet, p.LinkType));
        Assert.Equal([1L, 2L], packets.Select(p => p.Record));
        Assert.Equal([24L, 24L + 16 + 60], packets.Select(p => p.Offset));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Pcapng_interfaces_keep_their_own_resolution_offset_and_link_type(bool bigEndian)
    {
        var file = Concat(
            TestCaptures.SectionHeader(bigEndian),
            TestCaptures.Interface(1, 0, null, bigEndian),                        // microseconds (the default)
            TestCaptures.Interface(101, 65535, 9, bigEndian),                     // nanoseconds, raw IP
            TestCaptures.Interface(1, 65535, 0x80 | 10, bigEndian, offsetSeconds: 100), // 1/1024 s, 100 s offset
            TestCaptures.Block(5, new byte[8], bigEndian),                        // statistics: skipped
            TestCaptures.Enhanced(0, 1_500_000, TestCaptures.Frame(1), bigEndian),
            TestCaptures.Enhanced(1, 2_000_000_123, TestCaptures.Frame(2, 61), bigEndian),
            TestCaptures.Enhanced(2, 512, TestCaptures.Frame(3, 63), bigEndian),
            TestCaptures.Simple(TestCaptures.Frame(4, 62), bigEndian));

        var packets = ReadAll(file);

        Assert.Equal([1_500_000_000L, 2_000_000_123L, 100_500_000_000L, 100_500_000_000L], packets.Select(p => p.TimestampNs));
        Assert.Equal([LinkType.Ethernet, LinkType.Raw, LinkType.Ethernet, LinkType.Ethernet], packets.Select(p => p.LinkType));
        Assert.Equal([0, 1, 2, 0], packets.Select(p => p.InterfaceIndex));
        Assert.Equal([60, 61, 63, 62], packets.Select(p => p.Data.Length));
        Assert.Equal([1, 2, 3, 4], packets.Select(p => p.Data.Span[^1]));
        Assert.Equal([6L, 7L, 8L, 9L], packets.Select(p => p.Record));
    }

    [Fact]
    public void A_new_pcapng_section_starts_its_interfaces_and_byte_order_again()
    {
        var file = Concat(
            TestCaptures.SectionHeader(false),
            TestCaptures.Interface(1, 0, 9, false),
            TestCaptures.Enhanced(0, 7, TestCaptures.Frame(1), false),
            TestCaptures.SectionHeader(true),
            TestCaptures.Interface(1, 0, 3, true),
            TestCaptures.Enhanced(0, 7, TestCaptures.Frame(2), true));

        var packets = ReadAll(file);

        Assert.Equal([7L, 7_000_000L], packets.Select(p => p.TimestampNs));
        Assert.Equal([1, 2], packets.Select(p => p.Data.Span[^1]));
    }

    [Fact]
    public void A_simple_packet_holds_no_more_than_the_snap_length()
    {
        var file = Concat(TestCaptures.SectionHeader(false), TestCaptures.Interface(1, 40, null, false));
        var body = new List<byte>(BitConverter.GetBytes(100u));
        body.AddRange(new byte[40]);
        file = Concat(file, TestCaptures.Block(3, [.. body], false));

        var packet = Assert.Single(ReadAll(file));

        Assert.Equal((40, 100), (packet.Data.Length, packet.OriginalLength));
    }

    [Fact]
    public void Not_a_capture_is_refused_at_the_header()
    {
        var error = Assert.Throws<CaptureFormatException>(() => CaptureReader.Open(new MemoryStream("// a C file\n"u8.ToArray()), "x.c"));
        Assert.Equal((0L, 0L), (error.Record, error.Offset));
        Assert.Contains("not a capture", error.Message, StringComparison.Ordinal);
        Assert.StartsWith("x.c: record 0 at offset 0: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_too_short_for_any_header_is_not_a_capture()
    {
        var error = Assert.Throws<CaptureFormatException>(() => CaptureReader.Open(new MemoryStream([0xd4, 0xc3]), "short"));
        Assert.Contains("too short", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_truncated_pcap_record_names_the_record_and_offset_after_the_packets_before_it()
    {
        var whole = TestCaptures.Pcap(false, false, 65535, 1, (1, 0, TestCaptures.Frame(1)), (2, 0, TestCaptures.Frame(2)));
        var error = Refused(whole[..^10], out var before);

        Assert.Equal(1, before);
        Assert.Equal((2L, 24L + 16 + 60), (error.Record, error.Offset));
        Assert.Contains("truncated packet data", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_record_longer_than_the_snap_length_is_a_lie_the_reader_names()
    {
        var file = TestCaptures.Pcap(false, false, 50, 1, (1, 0, TestCaptures.Frame(1)));
        var error = Refused(file, out _);
        Assert.Equal("captured length 60 is longer than the snap length 50", error.Reason);
        Assert.Equal(1L, error.Record);
    }

    [Fact]
    public void A_captured_length_over_the_original_length_is_refused()
    {
        var file = TestCaptures.Pcap(false, false, 65535, 1, (1, 0, TestCaptures.Frame(1)));
        BitConverter.GetBytes(10u).CopyTo(file, 24 + 12); // orig_len 10 < incl_len 60
        Assert.Contains("longer than the packet's original length 10", Refused(file, out _).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_microsecond_fraction_of_a_whole_second_is_refused()
    {
        var file = TestCaptures.Pcap(false, false, 65535, 1, (1, 1_000_000, TestCaptures.Frame(1)));
        Assert.Contains("not below one second", Refused(file, out _).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pcapng_packet_of_an_undescribed_interface_is_refused()
    {
        var file = Concat(TestCaptures.SectionHeader(false), TestCaptures.Interface(1, 0, null, false),
            TestCaptures.Enhanced(3, 0, TestCaptures.Frame(1), false));
        var error = Refused(file, out _);
        Assert.Equal("packet of interface 3, but the section describes 1 interface(s)", error.Reason);
        Assert.Equal(3L, error.Record);
    }

    [Fact]
    public void A_pcapng_block_whose_two_lengths_differ_is_refused()
    {
        var file = Concat(TestCaptures.SectionHeader(false), TestCaptures.Interface(1, 0, null, false));
        var offset = file.Length;
        var packet = TestCaptures.Enhanced(0, 0, TestCaptures.Frame(1), false);
        packet[^4] ^= 4;
        var error = Refused(Concat(file, packet), out _);
        Assert.Equal(offset, error.Offset);
        Assert.Contains("at its end", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pcapng_block_length_not_a_multiple_of_four_is_refused()
    {
        var file = Concat(TestCaptures.SectionHeader(false), TestCaptures.Interface(1, 0, null, false));
        var packet = TestCaptures.Enhanced(0, 0, TestCaptures.Frame(1), false);
        BitConverter.GetBytes((uint)packet.Length - 2).CopyTo(packet, 4);
        Assert.Contains("not a multiple of 4", Refused(Concat(file, packet), out _).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pcapng_packet_longer_than_its_block_is_refused()
    {
        var file = Concat(TestCaptures.SectionHeader(false), TestCaptures.Interface(1, 0, null, false));
        var packet = TestCaptures.Enhanced(0, 0, TestCaptures.Frame(1), false);
        BitConverter.GetBytes(500u).CopyTo(packet, 8 + 12); // captured length
        Assert.Contains("runs past its block", Refused(Concat(file, packet), out _).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_section_header_with_a_wrong_byte_order_magic_is_refused()
    {
        var file = TestCaptures.SectionHeader(false);
        file[8] ^= 0xff;
        var error = Assert.Throws<CaptureFormatException>(() => CaptureReader.Open(new MemoryStream(file), "bom"));
        Assert.Contains("byte-order magic", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_prefix_of_a_capture_reads_cleanly_or_fails_with_a_capture_error()
    {
        var pcapng = Concat(TestCaptures.SectionHeader(false), TestCaptures.Interface(1, 0, 9, false),
            TestCaptures.Enhanced(0, 5, TestCaptures.Frame(1), false), TestCaptures.Simple(TestCaptures.Frame(2), false));
        var pcap = TestCaptures.Pcap(true, true, 65535, 1, (1, 2, TestCaptures.Frame(1)), (3, 4, TestCaptures.Frame(2)));
        foreach (var file in new[] { pcapng, pcap })
        {
            var failures = 0;
            for (var length = 0; length < file.Length; length++)
            {
                try
                {
                    ReadAll(file[..length]);
                }
                catch (CaptureFormatException)
                {
                    failures++;
                }
            }

            // Only the cuts exactly between records read cleanly; every other prefix is a named error.
            Assert.True(failures >= file.Length - 4, $"{failures} of {file.Length} prefixes failed");
        }
    }

    [Fact]
    public void What_PcapWriter_writes_reads_back_with_its_nanosecond_timestamps()
    {
        var path = Path.GetTempFileName();
        try
        {
            using (var writer = new PcapWriter(path))
            {
                writer.Write(1_700_000_000_123_456_789, TestCaptures.Frame(7));
                writer.Write(1_700_000_001_000_000_001, TestCaptures.Frame(8, 80), originalLength: 1500);
                Assert.Equal(2, writer.PacketsWritten);
            }

            using var reader = CaptureReader.Open(path);
            var packets = reader.ReadAll().ToList();
            Assert.Equal(CaptureFormat.Pcap, reader.Format);
            Assert.Equal([1_700_000_000_123_456_789L, 1_700_000_001_000_000_001L], packets.Select(p => p.TimestampNs));
            Assert.Equal([60, 1500], packets.Select(p => p.OriginalLength));
            Assert.Equal([7, 8], packets.Select(p => p.Data.Span[^1]));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];
}
