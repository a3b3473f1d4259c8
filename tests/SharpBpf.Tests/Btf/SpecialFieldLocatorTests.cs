using SharpBpf.Btf;

namespace SharpBpf.Tests.Btf;

/// <summary>
/// Expected results were checked on Linux 6.18 (see the header of Data/btf/timers.c): the verifier names the
/// recorded timer offset, or says the map has no valid bpf_timer.
/// </summary>
public class SpecialFieldLocatorTests
{
    private static readonly BtfSpec Timers = BtfSpec.Parse(BtfTestData.Bytes("timers.btf"));
    private static readonly BtfSpec Types = BtfSpec.Parse(BtfTestData.Bytes("types.btf"));

    private static SpecialFieldLayout Locate(BtfSpec spec, string structName)
    {
        Assert.True(spec.TryGetByName(structName, BtfKind.Struct, out var type));
        return SpecialFieldLocator.Locate(spec, type.Id);
    }

    [Fact]
    public void TimerInNestedStructOfTheTypesObjectIsLostToTheBitfields()
    {
        // val_with_timer holds struct flags, whose bitfields do not start on byte boundaries: the kernel's
        // btf_find_struct_field returns -EINVAL for the whole value (confirmed on 6.18 with a probe).
        var layout = Locate(Types, "val_with_timer");
        Assert.False(layout.IsValid);
        Assert.Empty(layout.Fields);
        Assert.Equal(-22, layout.KernelError);
        Assert.Contains("byte boundary", layout.Problem);
        Assert.Null(layout.TimerOffset);
    }

    [Fact]
    public void TimerInsideNestedStruct()
    {
        var layout = Locate(Types, "inner_with_timer");
        Assert.True(layout.IsValid);
        Assert.Equal([new SpecialField(SpecialFieldKind.Timer, 8, 16)], layout.Fields.ToArray());
    }

    [Fact]
    public void SpinLockAndTimer()
    {
        var layout = Locate(Types, "lock_val");
        Assert.Equal([new SpecialField(SpecialFieldKind.SpinLock, 0, 4), new SpecialField(SpecialFieldKind.Timer, 8, 16)], layout.Fields.ToArray());
        Assert.Equal(0, layout.SpinLockOffset);
        Assert.Equal(8, layout.TimerOffset);
    }

    [Fact]
    public void LockAtOffsetFour()
    {
        var layout = Locate(Timers, "lock_only");
        Assert.Equal([new SpecialField(SpecialFieldKind.SpinLock, 4, 4)], layout.Fields.ToArray());
    }

    [Theory]
    [InlineData("two_timers", -7, "second bpf_timer")]
    [InlineData("timer_array", -22, "array of 2")]
    [InlineData("bits_then_timer", -22, "byte boundary")]
    public void LayoutsTheKernelRejectsRecordNothing(string structName, int errno, string why)
    {
        var layout = Locate(Timers, structName);
        Assert.False(layout.IsValid);
        Assert.Empty(layout.Fields);
        Assert.Equal(errno, layout.KernelError);
        Assert.Contains(why, layout.Problem);
    }

    [Fact]
    public void PackedMisalignedTimerIsIgnoredWithANote()
    {
        var layout = Locate(Timers, "packed_timer");
        Assert.True(layout.IsValid);
        Assert.Empty(layout.Fields);
        Assert.Contains(layout.Notes, n => n.Contains("not 8-byte aligned"));
    }

    [Fact]
    public void AlignmentIsCheckedWithinTheInnermostStructOnly()
    {
        Assert.Equal(4, Locate(Timers, "packed_inner").TimerOffset);
    }

    [Fact]
    public void OneTimerPerStructLevelAndTheKernelKeepsTheLast()
    {
        var layout = Locate(Timers, "nested_two");
        Assert.Equal([0, 24], layout.Fields.Select(f => f.Offset));
        Assert.Equal(24, layout.TimerOffset);
        Assert.Contains(layout.Notes, n => n.Contains("different nesting levels"));
    }

    [Fact]
    public void ArrayOfOneTimerIsATimer() => Assert.Equal(0, Locate(Timers, "one_timer_array").TimerOffset);

    [Fact]
    public void TimerInsideAUnion() => Assert.Equal(8, Locate(Timers, "with_union").TimerOffset);

    [Fact]
    public void StructNamedBpfTimerOfAnotherSizeIsIgnored()
    {
        var b = new BtfBlobBuilder();
        var u64 = b.Int("unsigned long long", 8);
        var fakeTimer = b.Struct("bpf_timer", 8, ("x", u64, 0));
        var value = b.Struct("value", 16, ("t", fakeTimer, 0), ("y", u64, 64));
        var spec = BtfSpec.Parse(b.Build());
        var layout = SpecialFieldLocator.Locate(spec, value);
        Assert.True(layout.IsValid);
        Assert.Empty(layout.Fields);
        Assert.Contains(layout.Notes, n => n.Contains("not the kernel's 16-byte bpf_timer"));
    }

    [Fact]
    public void WrongSizedTimerStillCountsAsSeen()
    {
        var b = new BtfBlobBuilder();
        var u64 = b.Int("unsigned long long", 8);
        var fakeTimer = b.Struct("bpf_timer", 8, ("x", u64, 0));
        var realTimer = b.Struct("bpf_timer", 16, ("a", u64, 0), ("b", u64, 64));
        var value = b.Struct("value", 24, ("fake", fakeTimer, 0), ("real", realTimer, 64));
        var layout = SpecialFieldLocator.Locate(BtfSpec.Parse(b.Build()), value);
        Assert.Equal(-7, layout.KernelError);
    }

    [Fact]
    public void TypedefOfTheValueIsSkippedButATypedefOfTheTimerIsNot()
    {
        var b = new BtfBlobBuilder();
        var u64 = b.Int("unsigned long long", 8);
        var timer = b.Struct("bpf_timer", 16, ("a", u64, 0), ("b", u64, 64));
        var timerAlias = b.Add(BtfKind.Typedef, "my_timer", 0, timer);
        var direct = b.Struct("direct", 16, ("t", timer, 0));
        var aliased = b.Struct("aliased", 16, ("t", timerAlias, 0));
        var valueAlias = b.Add(BtfKind.Typedef, "direct_t", 0, direct);
        var spec = BtfSpec.Parse(b.Build());
        Assert.Equal(0, SpecialFieldLocator.Locate(spec, valueAlias).TimerOffset);
        Assert.Empty(SpecialFieldLocator.Locate(spec, aliased).Fields);
    }

    [Fact]
    public void NonStructValueHasNoFields()
    {
        Assert.True(Types.TryGetByName("__u32", out var u32));
        Assert.Same(SpecialFieldLayout.Empty, SpecialFieldLocator.Locate(Types, u32.Id));
    }

    [Fact]
    public void UnknownPointerTypeTagDropsAllFields()
    {
        var b = new BtfBlobBuilder();
        var u64 = b.Int("unsigned long long", 8);
        var timer = b.Struct("bpf_timer", 16, ("a", u64, 0), ("b", u64, 64));
        var tag = b.Add(BtfKind.TypeTag, "user", 0, u64);
        var pointer = b.Add(BtfKind.Pointer, "", 0, tag);
        var value = b.Struct("value", 24, ("t", timer, 0), ("p", pointer, 128));
        var layout = SpecialFieldLocator.Locate(BtfSpec.Parse(b.Build()), value);
        Assert.Equal(-22, layout.KernelError);
        Assert.Empty(layout.Fields);
    }

    [Fact]
    public void KptrIsFound()
    {
        var b = new BtfBlobBuilder();
        var u64 = b.Int("unsigned long long", 8);
        var task = b.Struct("task_struct", 8, ("x", u64, 0));
        var tag = b.Add(BtfKind.TypeTag, "kptr", 0, task);
        var pointer = b.Add(BtfKind.Pointer, "", 0, tag);
        var value = b.Struct("value", 16, ("x", u64, 0), ("p", pointer, 64));
        var layout = SpecialFieldLocator.Locate(BtfSpec.Parse(b.Build()), value);
        Assert.Equal([new SpecialField(SpecialFieldKind.Kptr, 8, 8)], layout.Fields.ToArray());
    }
}
