using System.Text;
using SharpBpf.Helpers;
using SharpBpf.Helpers.BuiltIn;
using SharpBpf.Maps;
using static SharpBpf.Tests.Helpers.HelperKit;
using static SharpBpf.Tests.Interpreter.Insn;

namespace SharpBpf.Tests.Helpers;

public class StringHelperTests
{
    private static readonly HelperRegistry Registry = BuiltInHelpers.CreateRegistry(HelperKit.Environment());

    /// <summary>Runs strtol or strtoul on <paramref name="text"/> (no NUL added) and returns (r0, *res).</summary>
    private static (long Result, long Value) Parse(HelperId helper, string text, ulong flags)
    {
        var bytes = Encoding.Latin1.GetBytes(text);
        var program = P(PrintfTests.StoreString(-80, text), StDw(10, -8, 0x5555),
            StackPointer(1, -80), Mov(2, bytes.Length), Lddw(3, flags), StackPointer(4, -8), Call(helper), Save(0),
            LdxDw(0, 10, -8), Save(1));
        var results = Results(program, Registry, 2);
        return ((long)results[0], (long)results[1]);
    }

    [Theory]
    [InlineData(" -42xyz\0", 10, 4, -42)] // measured on Linux 6.18, as are "0x1f"/0 and 2^63 below
    [InlineData("123", 10, 3, 123)]
    [InlineData("  -42xyz", 10, 5, -42)]
    [InlineData("\t\n+5", 10, -22, 0)]
    [InlineData("0x1f", 0, 4, 31)]
    [InlineData("0x1f", 16, 4, 31)]
    [InlineData("1f", 16, 2, 31)]
    [InlineData("0x", 0, 1, 0)]
    [InlineData("0xg", 16, -22, 0)]
    [InlineData("017", 0, 3, 15)]
    [InlineData("019", 0, 2, 1)]
    [InlineData("789", 8, 1, 7)]
    [InlineData("89", 8, -22, 0)]
    [InlineData("9223372036854775807", 10, 19, long.MaxValue)]
    [InlineData("-9223372036854775808", 10, 20, long.MinValue)]
    [InlineData("9223372036854775808", 10, -34, 0)]
    [InlineData("-9223372036854775809", 10, -34, 0)]
    [InlineData("99999999999999999999", 10, -34, 0)]
    [InlineData("", 10, -22, 0)]
    [InlineData("   ", 10, -22, 0)]
    [InlineData("-", 10, -22, 0)]
    [InlineData("12", 2, -22, 0)]
    [InlineData("12", 10 | 32, -22, 0)]
    [InlineData("5\0" + "6", 10, 1, 5)]
    public void Strtol_follows_the_kernel(string text, int flags, long expectedResult, long expectedValue)
    {
        Assert.Equal((expectedResult, expectedValue), Parse(HelperId.Strtol, text, (ulong)flags));
    }

    [Theory]
    [InlineData("9223372036854775808", 10, 19, long.MinValue)]
    [InlineData("18446744073709551615", 10, 20, -1L)]
    [InlineData("18446744073709551616", 10, -34, 0L)]
    [InlineData("-1", 10, -22, 0L)]
    [InlineData("-0", 10, -22, 0L)]
    [InlineData(" 0XfF ", 0, 5, 255L)]
    public void Strtoul_follows_the_kernel(string text, int flags, long expectedResult, long expectedValue)
    {
        Assert.Equal((expectedResult, expectedValue), Parse(HelperId.Strtoul, text, (ulong)flags));
    }

    [Fact]
    public void Only_63_characters_after_the_sign_are_parsed()
    {
        var text = new string('0', 62) + "12";
        Assert.Equal((63L, 1L), Parse(HelperId.Strtol, text, 10));
    }

    [Theory]
    [InlineData("abc", "abc", 3, 0)]
    [InlineData("abd", "abc", 3, 1)]
    [InlineData("abb", "abc", 3, -1)]
    [InlineData("abX", "abc", 2, 0)]
    [InlineData("ab\0zz", "ab", 5, 0)]
    [InlineData("ab", "abc", 2, 0)]
    [InlineData("ab\0", "abc", 3, -1)]
    [InlineData("\u00ff", "a", 1, 1)]
    public void Strncmp_compares_at_most_s1_size_bytes_and_returns_minus_one_zero_or_one(string s1, string s2, int size, long expected)
    {
        var program = P(PrintfTests.StoreString(-64, s1), PrintfTests.StoreString(-32, s2 + "\0"),
            StackPointer(1, -64), Mov(2, size), StackPointer(3, -32), Call(HelperId.Strncmp), Save(0));
        Assert.Equal(expected, (long)Results(program, Registry, 1)[0]);
    }
}
