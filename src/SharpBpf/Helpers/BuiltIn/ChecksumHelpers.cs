using System.Buffers.Binary;
using SharpBpf.Maps;

namespace SharpBpf.Helpers.BuiltIn;

/// <summary>
/// bpf_csum_diff(from, from_size, to, to_size, seed) as Linux 6.18 computes it: the ones'-complement difference of
/// the two buffers added to the seed, folded to 16 bits; sizes need not be multiples of 4.
/// </summary>
internal static class ChecksumHelpers
{
    public static ulong CsumDiff(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        var from = context.GetArgumentMemory(1, r1, (uint)r2, MemoryAccess.Read);
        var to = context.GetArgumentMemory(3, r3, (uint)r4, MemoryAccess.Read);
        return Diff(from, to, (uint)r5);
    }

    internal static ulong Diff(ReadOnlySpan<byte> from, ReadOnlySpan<byte> to, uint seed)
    {
        var result = seed;
        if (!from.IsEmpty && !to.IsEmpty)
        {
            result = Subtract(Partial(to, result), Partial(from, 0));
        }
        else if (!to.IsEmpty)
        {
            result = Partial(to, result);
        }
        else if (!from.IsEmpty)
        {
            result = ~Partial(from, ~result);
        }

        return FoldTo16(result);
    }

    /// <summary>csum_partial: a 32-bit ones'-complement sum of little-endian words, a short tail zero-padded.</summary>
    internal static uint Partial(ReadOnlySpan<byte> data, uint seed)
    {
        ulong sum = seed;
        while (data.Length >= 8)
        {
            sum = AddWithCarry(sum, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }

        if (data.Length >= 4)
        {
            sum = AddWithCarry(sum, BinaryPrimitives.ReadUInt32LittleEndian(data));
            data = data[4..];
        }

        if (!data.IsEmpty)
        {
            ulong tail = 0;
            for (var i = data.Length - 1; i >= 0; i--)
            {
                tail = (tail << 8) | data[i];
            }

            sum = AddWithCarry(sum, tail);
        }

        var folded = (sum >> 32) + (uint)sum;
        return (uint)((folded >> 32) + (uint)folded);
    }

    /// <summary>csum_sub: a + ~b with end-around carry.</summary>
    internal static uint Subtract(uint a, uint b)
    {
        var sum = (ulong)a + ~b;
        return (uint)((sum >> 32) + (uint)sum);
    }

    /// <summary>The kernel's csum_from32to16.</summary>
    internal static ushort FoldTo16(uint sum)
    {
        sum += (sum >> 16) | (sum << 16);
        return (ushort)(sum >> 16);
    }

    private static ulong AddWithCarry(ulong a, ulong b)
    {
        var sum = a + b;
        return sum < a ? sum + 1 : sum;
    }
}
