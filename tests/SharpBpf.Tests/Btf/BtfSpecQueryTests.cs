using SharpBpf.Btf;

namespace SharpBpf.Tests.Btf;

public class BtfSpecQueryTests
{
    private static readonly BtfSpec Spec = BtfSpec.Parse(BtfTestData.Bytes("types.btf"));

    private static uint Id(string name, BtfKind kind)
    {
        Assert.True(Spec.TryGetByName(name, kind, out var type), name);
        return type.Id;
    }

    [Fact]
    public void TypesAreIndexedByIdWithVoidFirst()
    {
        Assert.IsType<BtfVoid>(Spec.Types[0]);
        for (uint id = 0; id < Spec.Types.Count; id++)
            Assert.Equal(id, Spec[id].Id);
        Assert.Throws<ArgumentOutOfRangeException>(() => Spec[(uint)Spec.Types.Count]);
    }

    [Fact]
    public void EveryKindClangEmitsIsPresent()
    {
        var kinds = Spec.Types.Select(t => t.Kind).ToHashSet();
        foreach (var kind in Enum.GetValues<BtfKind>())
            Assert.Contains(kind, kinds);
    }

    [Fact]
    public void StructMembersAndBitfields()
    {
        var flags = (BtfStruct)Spec[Id("flags", BtfKind.Struct)];
        Assert.True(flags.HasBitfieldEncoding);
        Assert.Equal(["ready", "mode", "delta", "wide"], flags.Members.Select(m => m.Name));
        Assert.Equal([0u, 1u, 4u, 9u], flags.Members.Select(m => m.BitOffset));
        Assert.Equal([(byte)1, (byte)3, (byte)5, (byte)40], flags.Members.Select(m => m.BitfieldSize));
    }

    [Fact]
    public void EnumsSignedUnsignedAnd64()
    {
        var level = (BtfEnum)Spec[Id("level", BtfKind.Enum)];
        Assert.True(level.IsSigned);
        Assert.Equal([-2L, 0L, 3L], level.Values.Select(v => v.Value));
        var big = (BtfEnum)Spec[Id("big", BtfKind.Enum64)];
        Assert.True(big.Is64);
        Assert.False(big.IsSigned);
        Assert.Equal(0x1_0000_0000L, big.Values[1].Value);
    }

    [Fact]
    public void FunctionsProtosVariablesTags()
    {
        var prog = (BtfFunction)Spec[Id("prog", BtfKind.Function)];
        Assert.Equal(BtfFunctionLinkage.Global, prog.Linkage);
        Assert.Equal(BtfFunctionLinkage.Static, ((BtfFunction)Spec[Id("timer_cb", BtfKind.Function)]).Linkage);
        var variadic = (BtfVariable)Spec[Id("global_variadic", BtfKind.Variable)];
        var proto = (BtfFunctionProto)Spec[((BtfPointer)Spec[variadic.TypeId]).TargetId];
        Assert.True(proto.IsVariadic);
        Assert.Single(proto.Parameters);
        Assert.Equal("int (*)(int, ...)", Spec.TypeName(variadic.TypeId));
        var tags = Spec.Types.OfType<BtfDeclTag>().ToList();
        Assert.Contains(tags, t => t.Name == "tagged_struct" && t.ComponentIndex == -1);
        Assert.Contains(tags, t => t.Name == "marked_member" && t.ComponentIndex == 1);
        var maps = (BtfDataSection)Spec[Id(".maps", BtfKind.DataSection)];
        Assert.Equal(["flows", "locked"], maps.Variables.Select(v => Spec[v.TypeId].Name));
        Assert.True(((BtfForward)Spec[Id("fwd_only", BtfKind.Forward)]) is { IsUnion: false });
    }

    [Theory]
    [InlineData("flow_key", 16, 4)]
    [InlineData("val_with_timer", 96, 8)]
    [InlineData("inner_with_timer", 24, 8)]
    [InlineData("bpf_spin_lock", 4, 4)]
    [InlineData("task_like", 40, 8)]
    public void StructSizeAndAlignment(string name, long size, int align)
    {
        var id = Id(name, BtfKind.Struct);
        Assert.Equal(size, Spec.SizeOf(id));
        Assert.Equal(align, Spec.AlignOf(id));
    }

    [Fact]
    public void PackedStructAlignsToOne()
    {
        var timers = BtfSpec.Parse(BtfTestData.Bytes("timers.btf"));
        Assert.True(timers.TryGetByName("packed_timer", BtfKind.Struct, out var packed));
        Assert.Equal(20, timers.SizeOf(packed.Id));
        // bpf_timer's BTF has no members (anonymous bitfields), so libbpf's btf__align_of sees alignment 1 for
        // it and the u32 decides: 4.
        Assert.Equal(4, timers.AlignOf(packed.Id));
        var b = new BtfBlobBuilder();
        var u32 = b.Int("unsigned int", 4);
        var u64 = b.Int("unsigned long long", 8);
        var misaligned = b.Struct("misaligned", 12, ("a", u32, 0), ("b", u64, 32));
        var odd = b.Struct("odd", 12, ("b", u64, 0));
        var spec = BtfSpec.Parse(b.Build());
        Assert.Equal(1, spec.AlignOf(misaligned));
        Assert.Equal(1, spec.AlignOf(odd));
        Assert.Equal(8, spec.AlignOf(u64));
    }

    [Fact]
    public void SizeThroughTypedefsQualifiersAndArrays()
    {
        var stamp = ((BtfStruct)Spec[Id("val_with_timer", BtfKind.Struct)]).Members.Single(m => m.Name == "stamp");
        Assert.Equal(8, Spec.SizeOf(stamp.TypeId));
        Assert.Equal("__u64", Spec.SkipQualifiers(stamp.TypeId).Name);
        Assert.Equal("unsigned long long", Spec.SkipQualifiersAndTypedefs(stamp.TypeId).Name);
        var name = ((BtfVariable)Spec[Id("global_name", BtfKind.Variable)]).TypeId;
        Assert.Equal(8, Spec.SizeOf(name));
        Assert.False(Spec.TrySizeOf(Id("fwd_only", BtfKind.Forward), out _));
        var error = Assert.Throws<ObjectLoadException>(() => Spec.SizeOf(Id("prog", BtfKind.Function)));
        Assert.Equal(".BTF", error.SectionName);
    }

    [Fact]
    public void CLikeNames()
    {
        var value = (BtfStruct)Spec[Id("val_with_timer", BtfKind.Struct)];
        string Member(string n) => Spec.TypeName(value.Members.Single(m => m.Name == n).TypeId);
        Assert.Equal("__u32", Member("count"));
        Assert.Equal("enum color", Member("color"));
        Assert.Equal("struct inner_with_timer", Member("inner"));
        Assert.Equal("union addr", Member("addr"));
        Assert.Equal("const volatile __u64", Member("stamp"));
        Assert.Equal("int (*)(void *, int *, void *)", Member("callback"));
        Assert.Equal("char[16]", Member("name"));
        Assert.Equal("struct bpf_timer", Spec.TypeName(Id("bpf_timer", BtfKind.Struct)));
        Assert.Equal("unsigned int", Spec.TypeName(Id("unsigned int", BtfKind.Int)));
        var restrict = Spec.Types.OfType<BtfRestrict>().First();
        Assert.Equal("int * restrict", Spec.TypeName(restrict.Id));
        Assert.Equal("struct fwd_only *", Spec.TypeName(((BtfVariable)Spec[Id("global_fwd", BtfKind.Variable)]).TypeId));
    }

    [Fact]
    public void LookupByNameFindsTheFirstOfThatKind()
    {
        Assert.True(Spec.TryGetByName("flows", out var flows));
        Assert.Equal(BtfKind.Variable, flows.Kind);
        Assert.False(Spec.TryGetByName("no_such_type", out _));
        Assert.False(Spec.TryGetByName("flows", BtfKind.Struct, out _));
        Assert.Single(Spec.FindAllByName("bpf_timer"));
        Assert.Equal("flow_key", Spec.Strings[((BtfStruct)Spec[Id("flow_key", BtfKind.Struct)]).Id == 0 ? 0u : FindString("flow_key")]);
    }

    private static uint FindString(string text)
    {
        for (uint offset = 0; offset < Spec.Strings.Length; offset++)
            if (Spec.Strings.TryGet(offset, out var s) && s == text)
                return offset;
        return 0;
    }
}
