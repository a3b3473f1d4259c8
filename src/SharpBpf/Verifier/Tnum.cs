using System.Globalization;
using System.Numerics;

namespace SharpBpf.Verifier;

/// <summary>
/// A tristate number (the kernel's tnum): the bits of <see cref="Mask"/> are unknown, every other bit is known and equal
/// to that bit of <see cref="Value"/> (Value has no bit set where Mask does). Every operation over-approximates: each
/// concrete result of concrete members of the operands is a member of the result.
/// </summary>
internal readonly record struct Tnum(ulong Value, ulong Mask)
{
    public static Tnum Unknown { get; } = new(0, ulong.MaxValue);

    public static Tnum Constant(ulong value) => new(value, 0);

    /// <summary>The narrowest tnum holding every value from <paramref name="min"/> to <paramref name="max"/> (unsigned).</summary>
    public static Tnum Range(ulong min, ulong max)
    {
        int bits = 64 - BitOperations.LeadingZeroCount(min ^ max);
        if (bits >= 64)
        {
            return Unknown;
        }

        ulong unknown = (1UL << bits) - 1;
        return new(min & ~unknown, unknown);
    }

    public bool IsConstant => Mask == 0;

    /// <summary>The smallest and largest members, unsigned.</summary>
    public ulong Min => Value;

    public ulong Max => Value | Mask;

    public bool Has(ulong value) => (value & ~Mask) == Value;

    /// <summary>Every member of <paramref name="other"/> is a member of this (the kernel's tnum_in).</summary>
    public bool Contains(Tnum other) => (other.Mask & ~Mask) == 0 && (other.Value & ~Mask) == Value;

    /// <summary>Every member is a multiple of <paramref name="size"/> (a power of two).</summary>
    public bool IsAligned(ulong size) => ((Value | Mask) & (size - 1)) == 0;

    public static Tnum operator +(Tnum a, Tnum b)
    {
        ulong sumMask = a.Mask + b.Mask;
        ulong sumValue = a.Value + b.Value;
        // Bits where the all-unknown-set sum differs from the all-unknown-clear sum may carry either way.
        ulong carries = (sumMask + sumValue) ^ sumValue;
        ulong unknown = carries | a.Mask | b.Mask;
        return new(sumValue & ~unknown, unknown);
    }

    public static Tnum operator -(Tnum a, Tnum b)
    {
        ulong difference = a.Value - b.Value;
        ulong borrows = (difference + a.Mask) ^ (difference - b.Mask);
        ulong unknown = borrows | a.Mask | b.Mask;
        return new(difference & ~unknown, unknown);
    }

    public static Tnum operator -(Tnum a) => Constant(0) - a;

    public static Tnum operator &(Tnum a, Tnum b)
    {
        ulong value = a.Value & b.Value;
        return new(value, (a.Value | a.Mask) & (b.Value | b.Mask) & ~value);
    }

    public static Tnum operator |(Tnum a, Tnum b)
    {
        ulong value = a.Value | b.Value;
        return new(value, (a.Mask | b.Mask) & ~value);
    }

    public static Tnum operator ^(Tnum a, Tnum b)
    {
        ulong unknown = a.Mask | b.Mask;
        return new((a.Value ^ b.Value) & ~unknown, unknown);
    }

    /// <summary>Long multiplication: each bit of <paramref name="a"/> adds a shifted <paramref name="b"/> (known, or unknown when the bit is).</summary>
    public static Tnum operator *(Tnum a, Tnum b)
    {
        ulong exact = a.Value * b.Value;
        var uncertain = Constant(0);
        while (a.Value != 0 || a.Mask != 0)
        {
            if ((a.Value & 1) != 0)
            {
                uncertain += new Tnum(0, b.Mask);
            }
            else if ((a.Mask & 1) != 0)
            {
                uncertain += new Tnum(0, b.Value | b.Mask);
            }

            a = a.ShiftRight(1);
            b = b.ShiftLeft(1);
        }

        return Constant(exact) + uncertain;
    }

    public Tnum ShiftLeft(int shift) => new(Value << shift, Mask << shift);

    public Tnum ShiftRight(int shift) => new(Value >> shift, Mask >> shift);

    /// <summary>Arithmetic shift of the low <paramref name="bits"/> (32 or 64), the result zero-extended to 64 bits.</summary>
    public Tnum ShiftRightArithmetic(int shift, int bits) => bits == 32
        ? new((uint)((int)Value >> shift), (uint)((int)Mask >> shift))
        : new((ulong)((long)Value >> shift), (ulong)((long)Mask >> shift));

    /// <summary>The low <paramref name="bytes"/> bytes, zero-extended (the kernel's tnum_cast).</summary>
    public Tnum Cast(int bytes)
    {
        if (bytes >= 8)
        {
            return this;
        }

        ulong keep = (1UL << (bytes * 8)) - 1;
        return new(Value & keep, Mask & keep);
    }

    /// <summary>The values members of both could be: bits known in either are known (the operands share a value).</summary>
    public Tnum Intersect(Tnum other)
    {
        ulong unknown = Mask & other.Mask;
        return new((Value | other.Value) & ~unknown, unknown);
    }

    /// <summary>A tnum holding the members of both (for joins).</summary>
    public Tnum Union(Tnum other)
    {
        ulong unknown = Mask | other.Mask | (Value ^ other.Value);
        return new(Value & ~unknown, unknown);
    }

    /// <summary>The kernel's tnum_strn form: <c>(0x0; 0x7fffffff)</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"(0x{Value:x}; 0x{Mask:x})");
}
