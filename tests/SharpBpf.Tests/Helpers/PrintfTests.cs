using System.Text;
using SharpBpf.Helpers;
using SharpBpf.Helpers.BuiltIn;
using SharpBpf.Isa;
using SharpBpf.Maps;
using static SharpBpf.Tests.Helpers.HelperKit;
using static SharpBpf.Tests.Interpreter.Insn;

namespace SharpBpf.Tests.Helpers;

public class PrintfTests
{
    private static (long Error, string Text) Format(string format, params ulong[] arguments) => Format(new FakeHelperContext(), format, arguments);

    private static (long Error, string Text) Format(FakeHelperContext context, string format, params ulong[] arguments)
    {
        var output = new List<byte>();
        var error = BpfPrintf.Format(context, Encoding.Latin1.GetBytes(format), arguments, output);
        return (error, Encoding.Latin1.GetString([.. output]));
    }

    [Theory]
    [InlineData("%d", 0xFFFF_FFFFUL, "-1")]
    [InlineData("%i", 0x1_0000_0005UL, "5")]
    [InlineData("%u", 0xFFFF_FFFFUL, "4294967295")]
    [InlineData("%x", 0xDEAD_BEEF_CAFEUL, "beefcafe")]
    [InlineData("%X", 0xABCUL, "ABC")]
    [InlineData("%ld", 0xFFFF_FFFF_FFFF_FFFEUL, "-2")]
    [InlineData("%lu", 0xFFFF_FFFF_FFFF_FFFEUL, "18446744073709551614")]
    [InlineData("%lx", 0xDEAD_BEEF_CAFEUL, "deadbeefcafe")]
    [InlineData("%lld", 0x8000_0000_0000_0000UL, "-9223372036854775808")]
    [InlineData("%llu", 42UL, "42")]
    [InlineData("%llx", 0xFFUL, "ff")]
    [InlineData("%c", 0x41UL, "A")]
    [InlineData("%5d|", 42UL, "   42|")]
    [InlineData("%-5d|", 42UL, "42   |")]
    [InlineData("%05d", 0xFFFF_FFD6UL, "-0042")]
    [InlineData("%+d", 7UL, "+7")]
    [InlineData("% d", 7UL, " 7")]
    [InlineData("%+u", 7UL, "7")]
    [InlineData("%08x", 0xBEEFUL, "0000beef")]
    [InlineData("%3c|", 0x7AUL, "  z|")]
    [InlineData("%p", 0x1234UL, "0000000000001234")]
    [InlineData("%px", 0xFFFF_8880_0000_1000UL, "ffff888000001000")]
    [InlineData("100%% %d", 1UL, "100% 1")]
    [InlineData("a\tb\n", 0UL, "a\tb\n")]
    public void Formats_like_the_kernel(string format, ulong argument, string expected)
    {
        var (error, text) = Format(format, argument);
        Assert.Equal(0, error);
        Assert.Equal(expected, text);
    }

    [Theory]
    [InlineData("%f")]
    [InlineData("%.2d")]
    [InlineData("%#x")]
    [InlineData("%hd")]
    [InlineData("%lp")]
    [InlineData("%z")]
    [InlineData("%pQ")]
    [InlineData("%sx")]
    [InlineData("bell\a")]
    [InlineData("caf\u00e9")]
    [InlineData("%d %d %d %d")]
    public void Rejects_what_the_kernel_rejects_with_einval(string format)
    {
        Assert.Equal(Errno.EINVAL.ToHelperResult(), Format(format, 1, 2, 3).Error);
    }

    [Fact]
    public void Strings_and_ip_addresses_are_read_from_memory()
    {
        var context = new FakeHelperContext();
        var name = context.Add("eth0\0junk"u8.ToArray());
        var ip4 = context.Add([192, 168, 1, 20]);
        var ip6 = context.Add([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
        Assert.Equal((0L, "[eth0] [  eth0] [eth0  ]"), Format(context, "[%s] [%6s] [%-6s]", name, name, name));
        Assert.Equal((0L, "192.168.1.20 192.168.001.020"), Format(context, "%pI4 %pi4", ip4, ip4));
        Assert.Equal((0L, "2001:0db8:0000:0000:0000:0000:0000:0001 20010db8000000000000000000000001"), Format(context, "%pI6 %pi6", ip6, ip6));
    }

    [Fact]
    public void Mixed_formats_give_what_linux_6_18_gave()
    {
        // bpf_snprintf returned 28 (27 characters and the NUL) and bpf_trace_printk 38 for these on the project machine.
        var context = new FakeHelperContext();
        var name = context.Add("eth0\0"u8.ToArray());
        var ip = context.Add([192, 168, 1, 20]);
        Assert.Equal((0L, "v=123456! eth0|   -3|ab  |Z"), Format(context, "v=%lu! %s|%5d|%-4x|%c", 123456, name, unchecked((ulong)-3L), 0xab, 'Z'));
        var (error, text) = Format(context, "%pI4 %pi4 %08x\n", ip, ip, 0xbeef);
        Assert.Equal(0, error);
        Assert.Equal(38, text.Length);
        Assert.Equal("192.168.1.20 192.168.001.020 0000beef\n", text);
    }

    [Fact]
    public void An_unreadable_string_prints_empty_and_an_unreadable_address_as_zeros()
    {
        Assert.Equal((0L, "<> 0.0.0.0"), Format("<%s> %pI4", 0x10, 0x20));
    }

    [Fact]
    public void Strings_fill_the_kernel_argument_buffer_then_enospc()
    {
        var context = new FakeHelperContext();
        var text = context.Add(Encoding.ASCII.GetBytes(new string('x', 300) + "\0"));
        // 301 + 211 bytes fill the 512-byte buffer; the second string is cut to 210 characters.
        var (error, output) = Format(context, "%s%s", text, text);
        Assert.Equal(0, error);
        Assert.Equal(300 + 210, output.Length);
        Assert.Equal(Errno.ENOSPC.ToHelperResult(), Format(context, "%s%s%s", text, text, text).Error);
    }

    [Fact]
    public void Trace_printk_writes_the_message_to_the_sink_and_returns_its_length()
    {
        var sink = new CollectingTraceSink();
        var registry = BuiltInHelpers.CreateRegistry(HelperKit.Environment(trace: sink));
        var format = "pkt %d len %u: %x\n\0";
        var program = P(StoreString(-32, format),
            StackPointer(1, -32), Mov(2, format.Length), Mov(3, -5), Mov(4, 60), Mov(5, 255), Call(HelperId.TracePrintk), Save(0),
            StackPointer(1, -32), Mov(2, format.Length - 1), Call(HelperId.TracePrintk), Save(1),
            StackPointer(1, -32), Mov(2, 5), Call(HelperId.TracePrintk), Save(2));
        var results = Results(program, registry, 3);
        Assert.Equal("pkt -5 len 60: ff\n", Assert.Single(sink.Messages));
        Assert.Equal([18UL, Err(Errno.EINVAL), Err(Errno.EINVAL)], results);
    }

    [Fact]
    public void Trace_vprintk_takes_an_array_of_arguments()
    {
        var sink = new CollectingTraceSink();
        var registry = BuiltInHelpers.CreateRegistry(HelperKit.Environment(trace: sink));
        var format = "%d %d %d %d\0";
        var program = P(StoreString(-64, format),
            StDw(10, -32, 1), StDw(10, -24, 2), StDw(10, -16, 3), StDw(10, -8, -4),
            StackPointer(1, -64), Mov(2, format.Length), StackPointer(3, -32), Mov(4, 32), Call(HelperId.TraceVprintk), Save(0),
            StackPointer(1, -64), Mov(2, format.Length), StackPointer(3, -32), Mov(4, 24), Call(HelperId.TraceVprintk), Save(1),
            StackPointer(1, -64), Mov(2, format.Length), StackPointer(3, -32), Mov(4, 12), Call(HelperId.TraceVprintk), Save(2));
        var results = Results(program, registry, 3);
        Assert.Equal("1 2 3 -4", Assert.Single(sink.Messages));
        Assert.Equal([8UL, Err(Errno.EINVAL), Err(Errno.EINVAL)], results);
    }

    [Fact]
    public void Snprintf_truncates_and_returns_the_full_length_plus_one()
    {
        var registry = BuiltInHelpers.CreateRegistry(HelperKit.Environment());
        var format = "v=%lu!\0";
        var program = P(StoreString(-64, format), StDw(10, -40, 123456),
            StDw(10, -32, -1), StDw(10, -24, -1),
            StackPointer(1, -32), Mov(2, 16), StackPointer(3, -64), StackPointer(4, -40), Mov(5, 8), Call(HelperId.Snprintf), Save(0),
            LdxDw(0, 10, -32), Save(1), LdxDw(0, 10, -24), Save(2),
            StackPointer(1, -24), Mov(2, 4), StackPointer(3, -64), StackPointer(4, -40), Mov(5, 8), Call(HelperId.Snprintf), Save(3),
            LdxDw(0, 10, -24), Save(4),
            StackPointer(1, -24), Mov(2, 4), StackPointer(3, -64), StackPointer(4, -40), Mov(5, 0), Call(HelperId.Snprintf), Save(5));
        var results = Results(program, registry, 6);
        Assert.Equal(10UL, results[0]);
        Assert.Equal("v=123456!\0", Encoding.ASCII.GetString(BitConverter.GetBytes(results[1]).Concat(BitConverter.GetBytes(results[2])).ToArray(), 0, 10));
        Assert.Equal(10UL, results[3]);
        Assert.Equal([(byte)'v', (byte)'=', (byte)'1', 0, 0xFF, 0xFF, 0xFF, 0xFF], BitConverter.GetBytes(results[4]));
        Assert.Equal(Err(Errno.EINVAL), results[5]);
    }

    [Theory]
    [InlineData(SharpBpf.Execution.ExecutionMode.Checked)]
    [InlineData(SharpBpf.Execution.ExecutionMode.Unchecked)]
    public void A_percent_s_argument_outside_the_run_memory_prints_empty_in_both_modes(SharpBpf.Execution.ExecutionMode mode)
    {
        var sink = new CollectingTraceSink();
        var registry = BuiltInHelpers.CreateRegistry(HelperKit.Environment(trace: sink));
        var format = "[%s][%s]\0";
        var program = P(StoreString(-32, format), StoreString(-16, "ok\0"),
            StackPointer(1, -32), Mov(2, format.Length), Lddw(3, 0x10), StackPointer(4, -16), Call(HelperId.TracePrintk), Save(0));
        Assert.Equal([6UL], Results(program, registry, 1, mode: mode));
        Assert.Equal("[][ok]", Assert.Single(sink.Messages));
    }

    /// <summary>Byte stores that put <paramref name="text"/> at r10 + <paramref name="offset"/>.</summary>
    internal static Instruction[] StoreString(int offset, string text) =>
        [.. Encoding.Latin1.GetBytes(text).Select((b, i) => StB(10, offset + i, b))];
}
