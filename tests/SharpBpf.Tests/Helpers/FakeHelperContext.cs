using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using SharpBpf.Helpers;

namespace SharpBpf.Tests.Helpers;

/// <summary>A helper context over pinned test buffers, for calling helper internals directly (no engine).</summary>
internal sealed unsafe class FakeHelperContext : HelperCallContext
{
    private readonly List<(ulong Start, ulong Length)> _regions = [];

    /// <summary>Pins a copy of <paramref name="bytes"/> and returns its address.</summary>
    public ulong Add(byte[] bytes)
    {
        var pinned = GC.AllocateArray<byte>(bytes.Length, pinned: true);
        bytes.CopyTo(pinned, 0);
        _keepAlive.Add(pinned);
        var address = (ulong)Marshal.UnsafeAddrOfPinnedArrayElement(pinned, 0);
        _regions.Add((address, (ulong)bytes.Length));
        return address;
    }

    private readonly List<byte[]> _keepAlive = [];

    public override int InstructionIndex => 0;
    public override bool IsChecked => true;
    public override object? HostState => null;
    public override int TailCallCount => 0;
    public override object Program => this;

    public override Span<byte> GetMemory(ulong address, ulong length, MemoryAccess access) =>
        TryGetMemory(address, length, access, out var memory) ? memory : throw new InvalidOperationException($"no memory at 0x{address:x}+{length}");

    public override bool TryGetMemory(ulong address, ulong length, MemoryAccess access, out Span<byte> memory)
    {
        memory = default;
        if (length == 0)
        {
            return true;
        }

        foreach (var (start, size) in _regions)
        {
            if (address >= start && length <= size && address - start <= size - length)
            {
                memory = new Span<byte>((void*)address, (int)length);
                return true;
            }
        }

        return false;
    }

    public override void AddRegion(nint address, long length, MemoryAccess access) => _regions.Add(((ulong)address, (ulong)length));
    public override ulong InvokeSubprogram(ulong functionPointer, ulong r1 = 0, ulong r2 = 0, ulong r3 = 0, ulong r4 = 0, ulong r5 = 0) => throw new NotSupportedException();
    public override ulong InvokeSubprogramAt(int slot, ulong r1 = 0, ulong r2 = 0, ulong r3 = 0, ulong r4 = 0, ulong r5 = 0) => throw new NotSupportedException();
    public override bool TryTailCall(object? target) => throw new NotSupportedException();
    [DoesNotReturn]
    public override void EndRun(ulong returnValue) => throw new NotSupportedException();
    [DoesNotReturn]
    public override void Fault(string reason) => throw new InvalidOperationException(reason);
}
