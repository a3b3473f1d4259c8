using SharpBpf.Execution;
using SharpBpf.Helpers;

namespace SharpBpf.Tests.Execution;

public class ExecutionContractTests
{
    [Theory]
    [InlineData(FaultKind.OutOfBoundsRead, 5, 0x7f00UL, 4, "insn 5: out-of-bounds read of 4 bytes at 0x7f00")]
    [InlineData(FaultKind.OutOfBoundsWrite, 0, 0UL, 8, "insn 0: out-of-bounds write of 8 bytes at 0x0")]
    [InlineData(FaultKind.ReadOnlyWrite, 3, 0x10UL, 1, "insn 3: write of 1 bytes to read-only memory at 0x10")]
    [InlineData(FaultKind.MisalignedAtomic, 9, 0x1003UL, 4, "insn 9: misaligned atomic access of 4 bytes at 0x1003")]
    [InlineData(FaultKind.UnknownHelper, 2, 99UL, 0, "insn 2: unknown helper 99")]
    [InlineData(FaultKind.CallDepthExceeded, 7, 0UL, 0, "insn 7: call depth exceeds 8 frames")]
    [InlineData(FaultKind.InstructionBudgetExhausted, 1, 0UL, 0, "insn 1: instruction budget exhausted")]
    [InlineData(FaultKind.FellOffEnd, 4, 0UL, 0, "insn 4: fell off the end of the program")]
    public void Fault_message_depends_only_on_its_properties(FaultKind kind, int index, ulong address, int size, string message)
    {
        var fault = new ProgramFaultException(kind, index, address, size);
        Assert.Equal(message, fault.Message);
        Assert.IsAssignableFrom<BpfException>(fault);
    }

    [Theory]
    [InlineData(100UL, 8UL, true)]
    [InlineData(99UL, 1UL, false)]
    [InlineData(108UL, 8UL, true)]
    [InlineData(109UL, 8UL, false)]
    [InlineData(116UL, 0UL, true)]
    [InlineData(100UL, 17UL, false)]
    [InlineData(ulong.MaxValue, 2UL, false)]
    public void Region_contains_whole_ranges_only(ulong address, ulong size, bool expected) =>
        Assert.Equal(expected, new MemoryRegion(100, 16, MemoryAccess.Read, RegionKind.Input).Contains(address, size));

    [Fact]
    public void Function_pointers_round_trip_and_are_not_canonical_addresses()
    {
        var value = FunctionPointer.Encode(1234);
        Assert.True(FunctionPointer.TryDecode(value, out var slot));
        Assert.Equal(1234, slot);
        Assert.NotEqual(0UL, value >> 47); // not a user-space address
        Assert.NotEqual((1UL << 17) - 1, value >> 47); // not a kernel-half canonical address either
        Assert.False(FunctionPointer.TryDecode(1234, out _));
        Assert.False(FunctionPointer.TryDecode(0x7fff_0000_0000_1000UL, out _));
    }

    [Fact]
    public void Helper_registry_refuses_duplicate_ids_and_replaces_on_request()
    {
        var registry = new HelperRegistry().Register(1, "first", (_, _, _, _, _, _) => 1);
        var duplicate = Assert.Throws<ArgumentException>(() => registry.Register(1, "second", (_, _, _, _, _, _) => 2));
        Assert.Contains("first", duplicate.Message);
        registry.Replace(1, "second", (_, _, _, _, _, _) => 2);
        Assert.True(registry.TryGet(1, out var helper));
        Assert.Equal(("second", 2UL), (helper.Name, helper.Function(null!, 0, 0, 0, 0, 0)));
        Assert.False(registry.TryGet(2, out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => registry.Register(-1, "negative", (_, _, _, _, _, _) => 0));
    }

    [Fact]
    public void Stack_layout_matches_the_kernel() =>
        // 8 frames per program; the block holds a chain of 33 tail calls each made 7 frames deep.
        Assert.Equal((512, 8, 239, 239 * 512), (StackLayout.FrameSize, StackLayout.MaxCallFrames, StackLayout.MaxStackFrames, StackLayout.TotalSize));
}
