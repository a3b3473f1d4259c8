namespace SharpBpf.Verifier;

/// <summary>
/// What is known of a 64-bit value: its signed and unsigned bounds (the kernel's smin/smax/umin/umax without tnums).
/// Every operation over-approximates: when a bound could overflow it becomes unbounded.
/// </summary>
internal readonly record struct ScalarRange(long SMin, long SMax, ulong UMin, ulong UMax)
{
    public static ScalarRange Unbounded { get; } = new(long.MinValue, long.MaxValue, 0, ulong.MaxValue);

    public static ScalarRange Zero { get; } = Constant(0);

    public static ScalarRange Constant(ulong value) => new((long)value, (long)value, value, value);

    public static ScalarRange Unsigned(ulong min, ulong max) =>
        max <= long.MaxValue ? new((long)min, (long)max, min, max) : new ScalarRange(long.MinValue, long.MaxValue, min, max).Normalized();

    public static ScalarRange Signed(long min, long max) =>
        min >= 0 ? new(min, max, (ulong)min, (ulong)max)
        : max < 0 ? new(min, max, (ulong)min, (ulong)max)
        : new(min, max, 0, ulong.MaxValue);

    /// <summary>Values of an unsigned load or a zero-extending operation of this many bits.</summary>
    public static ScalarRange Bits(int bits) => bits >= 64 ? Unbounded : Unsigned(0, (1UL << bits) - 1);

    public bool IsConstant => UMin == UMax;

    public ulong Value => UMin;

    public bool IsEmpty => SMin > SMax || UMin > UMax;

    public bool Contains(ScalarRange other) =>
        SMin <= other.SMin && other.SMax <= SMax && UMin <= other.UMin && other.UMax <= UMax;

    public bool FitsIn32Bits => UMax <= uint.MaxValue;

    public ScalarRange Hull(ScalarRange other) =>
        new(Math.Min(SMin, other.SMin), Math.Max(SMax, other.SMax), Math.Min(UMin, other.UMin), Math.Max(UMax, other.UMax));

    /// <summary>Lets each pair of bounds tighten the other where both describe the same sign (the kernel's reg_bounds_sync).</summary>
    public ScalarRange Normalized()
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

        return new(smin, smax, umin, umax);
    }

    public ScalarRange Truncated32()
    {
        if (IsConstant)
        {
            return Constant((uint)Value);
        }

        return FitsIn32Bits ? this : Bits(32);
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
        return parts.Count == 0 ? "scalar()" : $"scalar({string.Join(",", parts)})";
    }
}
