namespace SharpBpf.Verifier;

/// <summary>
/// What is known of a 64-bit value: its signed and unsigned bounds (the kernel's smin/smax/umin/umax) and its known
/// bits (the kernel's var_off tnum). Every operation over-approximates: when a bound could overflow it becomes
/// unbounded. Factories and <see cref="Normalized"/> keep the two views in step (the kernel's reg_bounds_sync).
/// </summary>
internal readonly record struct ScalarRange(long SMin, long SMax, ulong UMin, ulong UMax)
{
    // Stored inverted so that a range built from its four bounds alone (or default) knows no bits.
    private readonly ulong _bitsValue;
    private readonly ulong _bitsKnown;

    /// <summary>The known bits; bits outside <see cref="Tnum.Mask"/> have the same value in every member.</summary>
    public Tnum KnownBits
    {
        get => new(_bitsValue, ~_bitsKnown);
        init
        {
            _bitsValue = value.Value;
            _bitsKnown = ~value.Mask;
        }
    }

    public static ScalarRange Unbounded { get; } = new(long.MinValue, long.MaxValue, 0, ulong.MaxValue);

    public static ScalarRange Zero { get; } = Constant(0);

    public static ScalarRange Constant(ulong value) => new((long)value, (long)value, value, value) { KnownBits = Tnum.Constant(value) };

    public static ScalarRange Unsigned(ulong min, ulong max) => new ScalarRange(long.MinValue, long.MaxValue, min, max).Normalized();

    public static ScalarRange Signed(long min, long max) => new ScalarRange(min, max, 0, ulong.MaxValue).Normalized();

    /// <summary>Every value the known bits allow (bounds derived from them).</summary>
    public static ScalarRange Of(Tnum bits) => Unbounded.WithBits(bits);

    /// <summary>These bounds with <paramref name="bits"/> also known (both describe the same value).</summary>
    public ScalarRange WithBits(Tnum bits)
    {
        var current = KnownBits;
        if (((current.Value ^ bits.Value) & ~current.Mask & ~bits.Mask) != 0)
        {
            return EmptyRange;
        }

        return (this with { KnownBits = current.Intersect(bits) }).Normalized();
    }

    /// <summary>Values of an unsigned load or a zero-extending operation of this many bits.</summary>
    public static ScalarRange Bits(int bits) => bits >= 64 ? Unbounded : Unsigned(0, (1UL << bits) - 1);

    public bool IsConstant => UMin == UMax;

    public ulong Value => UMin;

    public bool IsEmpty => SMin > SMax || UMin > UMax;

    public bool Contains(ScalarRange other) =>
        SMin <= other.SMin && other.SMax <= SMax && UMin <= other.UMin && other.UMax <= UMax && KnownBits.Contains(other.KnownBits);

    /// <summary>The value <paramref name="value"/> is possible (every view admits it).</summary>
    public bool Has(ulong value) =>
        SMin <= (long)value && (long)value <= SMax && UMin <= value && value <= UMax && KnownBits.Has(value);

    public bool FitsIn32Bits => UMax <= uint.MaxValue;

    public ScalarRange Hull(ScalarRange other) =>
        new ScalarRange(Math.Min(SMin, other.SMin), Math.Max(SMax, other.SMax), Math.Min(UMin, other.UMin), Math.Max(UMax, other.UMax))
        {
            KnownBits = KnownBits.Union(other.KnownBits),
        }.Normalized();

    /// <summary>
    /// Lets each view tighten the others (the kernel's reg_bounds_sync, 64-bit part): bounds from known bits, signed
    /// and unsigned bounds from each other where both describe the same sign, known bits from the unsigned bounds.
    /// </summary>
    public ScalarRange Normalized()
    {
        if (IsEmpty)
        {
            return EmptyRange;
        }

        var tightened = FromBits(this).Deduced();
        if (tightened.IsEmpty)
        {
            return EmptyRange;
        }

        var range = Tnum.Range(tightened.UMin, tightened.UMax);
        var bits = tightened.KnownBits;
        if (((range.Value ^ bits.Value) & ~range.Mask & ~bits.Mask) != 0)
        {
            return EmptyRange;
        }

        var result = FromBits(tightened with { KnownBits = bits.Intersect(range) });
        return result.IsEmpty ? EmptyRange : result;
    }

    /// <summary>No value at all (a branch that cannot be taken).</summary>
    public static ScalarRange EmptyRange { get; } = new(1, 0, 1, 0);

    private static ScalarRange FromBits(ScalarRange r)
    {
        var bits = r.KnownBits;
        return r with
        {
            SMin = Math.Max(r.SMin, (long)(bits.Value | (bits.Mask & 0x8000_0000_0000_0000UL))),
            SMax = Math.Min(r.SMax, (long)(bits.Value | (bits.Mask & long.MaxValue))),
            UMin = Math.Max(r.UMin, bits.Min),
            UMax = Math.Min(r.UMax, bits.Max),
        };
    }

    private ScalarRange Deduced()
    {
        long smin = SMin, smax = SMax;
        ulong umin = UMin, umax = UMax;
        // When the unsigned range does not cross the sign boundary it is also a signed range.
        if ((long)umin <= (long)umax)
        {
            smin = Math.Max(smin, (long)umin);
            smax = Math.Min(smax, (long)umax);
        }

        if ((ulong)smin <= (ulong)smax)
        {
            umin = Math.Max(umin, (ulong)smin);
            umax = Math.Min(umax, (ulong)smax);
        }

        return this with { SMin = smin, SMax = smax, UMin = umin, UMax = umax };
    }

    /// <summary>The low 32 bits, zero-extended.</summary>
    public ScalarRange Truncated32()
    {
        if (IsConstant)
        {
            return Constant((uint)Value);
        }

        return FitsIn32Bits ? this : Of(KnownBits.Cast(4));
    }

    public override string ToString()
    {
        if (IsConstant)
        {
            return ((long)Value).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var parts = new List<string>(4);
        if (SMin != long.MinValue) parts.Add($"smin={SMin}");
        if (SMax != long.MaxValue) parts.Add($"smax={SMax}");
        if (UMin != 0) parts.Add($"umin={UMin}");
        if (UMax != ulong.MaxValue) parts.Add($"umax={UMax}");
        if (KnownBits != Tnum.Unknown) parts.Add($"var_off={KnownBits}");
        return parts.Count == 0 ? "scalar()" : $"scalar({string.Join(",", parts)})";
    }
}
