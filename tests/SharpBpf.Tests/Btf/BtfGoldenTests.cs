using SharpBpf.Btf;

namespace SharpBpf.Tests.Btf;

public class BtfGoldenTests
{
    [Theory]
    [InlineData("types")]
    [InlineData("timers")]
    public void RawDumpMatchesBpftool(string name)
    {
        var spec = BtfSpec.Parse(BtfTestData.Bytes(name + ".btf"));
        var expected = BtfTestData.Text(name + ".raw.txt").Split('\n');
        var actual = BtfRawFormatter.Format(spec).Split('\n');
        for (int i = 0; i < Math.Min(expected.Length, actual.Length); i++)
            Assert.True(expected[i] == actual[i], $"line {i + 1}:\n expected: {expected[i]}\n actual:   {actual[i]}");
        Assert.Equal(expected.Length, actual.Length);
    }
}
