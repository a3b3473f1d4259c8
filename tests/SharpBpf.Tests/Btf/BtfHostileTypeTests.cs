using SharpBpf.Btf;

namespace SharpBpf.Tests.Btf;

/// <summary>Valid but hostile BTF: queries must stay bounded in time.</summary>
public class BtfHostileTypeTests
{
    private static (BtfSpec Spec, uint Top) NestedUnions(int levels)
    {
        var b = new BtfBlobBuilder();
        var current = b.Int("unsigned long long", 8);
        for (int i = 0; i < levels; i++)
            current = b.Add(BtfKind.Union, "u" + i, 2, 8, false, 0, current, 0, 0, current, 0);
        return (BtfSpec.Parse(b.Build()), current);
    }

    [Fact]
    public void ExponentialUnionNestingIsBoundedInTheFormatter()
    {
        var (spec, top) = NestedUnions(25);
        var error = Assert.Throws<ObjectLoadException>(() => BtfValueFormatter.ToJson(spec, top, new byte[8]));
        Assert.Contains("more than", error.Reason);
        Assert.Equal("union u24", spec.TypeName(top));
        Assert.Equal(8, spec.AlignOf(top));
    }

    [Fact]
    public void ExponentialUnionNestingIsBoundedInTheLocator()
    {
        var (spec, top) = NestedUnions(25);
        var layout = SpecialFieldLocator.Locate(spec, top);
        Assert.Empty(layout.Fields);
        Assert.Contains("not searched further", layout.Problem);
    }

    [Fact]
    public void MutuallyRecursivePrototypesHaveFiniteNames()
    {
        var b = new BtfBlobBuilder();
        // [1] proto(ptr [2]) -> [2] ptr [3] -> [3] proto(ptr [4] x3) -> [4] ptr [1]
        b.Add(BtfKind.FunctionProto, "", 1, 0, false, 0, 2);
        b.Add(BtfKind.Pointer, "", 0, 3);
        b.Add(BtfKind.FunctionProto, "", 3, 0, false, 0, 4, 0, 4, 0, 4);
        b.Add(BtfKind.Pointer, "", 0, 1);
        var spec = BtfSpec.Parse(b.Build());
        var name = spec.TypeName(1);
        Assert.StartsWith("void (void (*)(", name);
        Assert.Contains("...", name);
        Assert.True(name.Length < 100_000);
    }
}
