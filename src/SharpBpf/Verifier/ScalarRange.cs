namespace SharpBpf.Verifier;

/// <summary>
/// What is known of a 64-bit value: its signed and unsigned bounds (the kernel's smin/smax/umin/umax), the same four of
/// its low 32 bits (s32_min/s32_max/u32_min/u32_max) and its known bits (the kernel's var_off tnum). Every operation
/// over-approximates: when a bound could overflow it becomes unbounded. <see cref="Normalized"/> lets the nine views
/// tighten each other as the kernel's reg_bounds_sync does.
/// </summary>
internal readonly record struct ScalarRange(long SMin, long SMax, ulong UMin, ulong UMax)
{
    // Stored so that a range built from its four 64-bit bounds alone (or default) knows no bits and no 32-bit bounds.
    private readonly ulong _bitsValue;
    private readonly ulong _bitsKnown;
    private readonly uint _u32MaxInverted;
    private readonly uint _s32MinOffset;
    private readonly uint _s32MaxOffset;

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

    /// <summary>Bounds of the low 32 bits, unsigned.</summary>
    public uint U32Min { get; init; }

    public uint U32Max
    {
        get => ~_u32MaxInverted;
        init => _u32MaxInverted = ~value;
    }

    /// <summary>Bounds of the low 32 bits, signed.</summary>
    public int S32Min
    {
        get => (int)(_s32MinOffset ^ 0x8000_0000u);
        init => _s32MinOffset = (uint)value ^ 0x8000_0000u;
    }

    public int S32Max
    {
        get => (int)(_s32MaxOffset ^ 0x7fff_ffffu);
        init => _s32MaxOffset = (uint)value ^ 0x7fff_ffffu;
    }

    public static ScalarRange Unbounded { get; } = new(long.MinValue, long.MaxValue, 0, ulong.MaxValue);

    public static ScalarRange Zero { get; } = Constant(0);

    public static ScalarRange Constant(ulong value) => new((long)value, (long)value, value, value)
    {
        KnownBits = Tnum.Constant(value),
        U32Min = (uint)value,
        U32Max = (uint)value,
        S32Min = (int)value,
        S32Max = (int)value,
    };

    public static ScalarRange Unsigned(ulong min, ulong max) => new ScalarRange(long.MinValue, long.MaxValue, min, max).Normalized();

    public static ScalarRange Signed(long min, long max) => new ScalarRange(min, max, 0, ulong.MaxValue).Normalized();

    /// <summary>Any 64-bit value whose low 32 bits lie from <paramref name="min"/> to <paramref name="max"/> (unsigned).</summary>
    public static ScalarRange Unsigned32(uint min, uint max) => (Unbounded with { U32Min = min, U32Max = max }).Normalized();

    /// <summary>Every value the known bits allow (bounds derived from them).</summary>
    public static ScalarRange Of(Tnum bits) => Unbounded.WithBits(bits);

    /// <summary>These bounds with <paramref name="bits"/> also known (both describe the same value).</summary>
    public ScalarRange WithBits(Tnum bits)
    {
        var current = KnownBits;
        if (Conflict(current, bits))
        {
            return EmptyRange;
        }

        return (this with { KnownBits = current.Intersect(bits) }).Normalized();
    }

    /// <summary>Values of an unsigned load or a zero-extending operation of this many bits.</summary>
    public static ScalarRange Bits(int bits) => bits >= 64 ? Unbounded : Unsigned(0, (1UL << bits) - 1);

    public bool IsConstant => UMin == UMax;

    public ulong Value => UMin;

    /// <summary>The low 32 bits are one known value.</summary>
    public bool IsConstant32 => U32Min == U32Max;

    public bool IsEmpty => SMin > SMax || UMin > UMax || S32Min > S32Max || U32Min > U32Max;

    /// <summary>Every member of <paramref name="other"/> is a member of this (the kernel's range_within and tnum_in).</summary>
    public bool Contains(ScalarRange other) =>
        SMin <= other.SMin && other.SMax <= SMax && UMin <= other.UMin && other.UMax <= UMax
        && S32Min <= other.S32Min && other.S32Max <= S32Max && U32Min <= other.U32Min && other.U32Max <= U32Max
        && KnownBits.Contains(other.KnownBits);

    /// <summary>The value <paramref name="value"/> is possible (every view admits it).</summary>
    public bool Has(ulong value) =>
        SMin <= (long)value && (long)value <= SMax && UMin <= value && value <= UMax && KnownBits.Has(value)
        && S32Min <= (int)value && (int)value <= S32Max && U32Min <= (uint)value && (uint)value <= U32Max;

    public bool FitsIn32Bits => UMax <= uint.MaxValue;

    public ScalarRange Hull(ScalarRange other) =>
        new ScalarRange(Math.Min(SMin, other.SMin), Math.Max(SMax, other.SMax), Math.Min(UMin, other.UMin), Math.Max(UMax, other.UMax))
        {
            KnownBits = KnownBits.Union(other.KnownBits),
            U32Min = Math.Min(U32Min, other.U32Min),
            U32Max = Math.Max(U32Max, other.U32Max),
            S32Min = Math.Min(S32Min, other.S32Min),
            S32Max = Math.Max(S32Max, other.S32Max),
        }.Normalized();

    /// <summary>No value at all (a branch that cannot be taken).</summary>
    public static ScalarRange EmptyRange { get; } = new(1, 0, 1, 0);

    /// <summary>
    /// Lets each view tighten the others, in the kernel's order (reg_bounds_sync): bounds from known bits; 32-bit bounds
    /// from 64-bit ones and signed from unsigned (twice); 64-bit bounds from 32-bit ones; known bits from the unsigned
    /// bounds of both widths; bounds from the known bits again. Contradicting views give <see cref="EmptyRange"/>.
    /// </summary>
    public ScalarRange Normalized()
    {
        if (IsEmpty)
        {
            return EmptyRange;
        }

        var r = FromBits(this);
        r = r.Deduced().Deduced();
        if (r.IsEmpty)
        {
            return EmptyRange;
        }

        var wide = Tnum.Range(r.UMin, r.UMax);
        var low = Tnum.Range(r.U32Min, r.U32Max);
        if (Conflict(r.KnownBits, wide) || Conflict(r.KnownBits.Cast(4), low))
        {
            return EmptyRange;
        }

        var bits64 = r.KnownBits.Intersect(wide);
        var bits32 = bits64.Cast(4).Intersect(low);
        r = FromBits(r with { KnownBits = new Tnum((bits64.Value & ~0xffff_ffffUL) | bits32.Value, (bits64.Mask & ~0xffff_ffffUL) | bits32.Mask) });
        return r.IsEmpty ? EmptyRange : r;
    }

    private static bool Conflict(Tnum a, Tnum b) => ((a.Value ^ b.Value) & ~a.Mask & ~b.Mask) != 0;

    /// <summary>The kernel's __update_reg_bounds: each view narrowed to what the known bits allow.</summary>
    private static ScalarRange FromBits(ScalarRange r)
    {
        var bits = r.KnownBits;
        var low = bits.Cast(4);
        return r with
        {
            SMin = Math.Max(r.SMin, (long)(bits.Value | (bits.Mask & 0x8000_0000_0000_0000UL))),
            SMax = Math.Min(r.SMax, (long)(bits.Value | (bits.Mask & long.MaxValue))),
            UMin = Math.Max(r.UMin, bits.Min),
            UMax = Math.Min(r.UMax, bits.Max),
            S32Min = Math.Max(r.S32Min, (int)(uint)(low.Value | (low.Mask & 0x8000_0000UL))),
            S32Max = Math.Min(r.S32Max, (int)(uint)(low.Value | (low.Mask & int.MaxValue))),
            U32Min = Math.Max(r.U32Min, (uint)low.Min),
            U32Max = Math.Min(r.U32Max, (uint)low.Max),
        };
    }

    /// <summary>The kernel's __reg_deduce_bounds: 32-bit from 64-bit and from each other, 64-bit from each other, then mixed.</summary>
    private ScalarRange Deduced() => Deduced32().Deduced64().DeducedMixed();

    private ScalarRange Deduced32()
    {
        uint u32min = U32Min, u32max = U32Max;
        int s32min = S32Min, s32max = S32Max;
        // Where the high halves of a 64-bit range agree, its low halves form a 32-bit range.
        if (UMin >> 32 == UMax >> 32)
        {
            u32min = Math.Max(u32min, (uint)UMin);
            u32max = Math.Min(u32max, (uint)UMax);
            if ((int)UMin <= (int)UMax)
            {
                s32min = Math.Max(s32min, (int)UMin);
                s32max = Math.Min(s32max, (int)UMax);
            }
        }

        if (SMin >> 32 == SMax >> 32)
        {
            if ((uint)SMin <= (uint)SMax)
            {
                u32min = Math.Max(u32min, (uint)SMin);
                u32max = Math.Min(u32max, (uint)SMax);
            }

            if ((int)SMin <= (int)SMax)
            {
                s32min = Math.Max(s32min, (int)SMin);
                s32max = Math.Min(s32max, (int)SMax);
            }
        }

        // High halves that are two consecutive numbers, with low halves from negative to non-negative: the low
        // halves still form one signed 32-bit range.
        if ((uint)(UMin >> 32) + 1 == (uint)(UMax >> 32) && (int)UMin < 0 && (int)UMax >= 0)
        {
            s32min = Math.Max(s32min, (int)UMin);
            s32max = Math.Min(s32max, (int)UMax);
        }

        if ((uint)(SMin >> 32) + 1 == (uint)(SMax >> 32) && (int)SMin < 0 && (int)SMax >= 0)
        {
            s32min = Math.Max(s32min, (int)SMin);
            s32max = Math.Min(s32max, (int)SMax);
        }

        if ((int)u32min <= (int)u32max)
        {
            s32min = Math.Max(s32min, (int)u32min);
            s32max = Math.Min(s32max, (int)u32max);
        }

        if ((uint)s32min <= (uint)s32max)
        {
            u32min = Math.Max(u32min, (uint)s32min);
            u32max = Math.Min(u32max, (uint)s32max);
        }

        return this with { U32Min = u32min, U32Max = u32max, S32Min = s32min, S32Max = s32max };
    }

    private ScalarRange Deduced64()
    {
        long smin = SMin, smax = SMax;
        ulong umin = UMin, umax = UMax;
        // When the unsigned range does not cross the sign boundary it is also a signed range, and the reverse.
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
        else if (umax < (ulong)smin)
        {
            // A signed range across the sign boundary is two unsigned pieces; the unsigned range lies in the lower one.
            smin = (long)umin;
            umax = Math.Min(umax, (ulong)smax);
        }
        else if ((ulong)smax < umin)
        {
            smax = (long)umax;
            umin = Math.Max(umin, (ulong)smin);
        }

        return this with { SMin = smin, SMax = smax, UMin = umin, UMax = umax };
    }

    private ScalarRange DeducedMixed()
    {
        ulong umin = Math.Max(UMin, (UMin & ~0xffff_ffffUL) | U32Min);
        ulong umax = Math.Min(UMax, (UMax & ~0xffff_ffffUL) | U32Max);
        long smin = Math.Max(SMin, (long)(((ulong)SMin & ~0xffff_ffffUL) | U32Min));
        long smax = Math.Min(SMax, (long)(((ulong)SMax & ~0xffff_ffffUL) | U32Max));
        var r = this with { SMin = smin, SMax = smax, UMin = umin, UMax = umax };
        // A sign- or zero-extended 32-bit value whose low half is non-negative: the 64-bit bounds are the 32-bit ones.
        if (r.S32Min >= 0 && r.SMin >= int.MinValue && r.SMax <= int.MaxValue)
        {
            r = r with { SMin = r.S32Min, SMax = r.S32Max, UMin = (ulong)r.S32Min, UMax = (ulong)r.S32Max };
            var range = Tnum.Range(r.UMin, r.UMax);
            if (!r.IsEmpty && !Conflict(r.KnownBits, range))
            {
                r = r with { KnownBits = r.KnownBits.Intersect(range) };
            }
        }

        return r;
    }

    /// <summary>The low 32 bits, zero-extended (the kernel's zext_32_to_64 after a 32-bit operation).</summary>
    public ScalarRange Truncated32()
    {
        if (IsConstant32)
        {
            return Constant(U32Min);
        }

        var bits = KnownBits.Cast(4);
        bool signedFits = S32Min >= 0;
        return new ScalarRange(signedFits ? S32Min : 0, signedFits ? S32Max : uint.MaxValue, U32Min, U32Max)
        {
            KnownBits = bits,
            U32Min = U32Min,
            U32Max = U32Max,
            S32Min = S32Min,
            S32Max = S32Max,
        }.Normalized();
    }

    /// <summary>
    /// The kernel's print_scalar_ranges: each bound that is not the widest, bounds with the same value named together
    /// (<c>smin=umin=smin32=umin32=8</c>), small numbers in decimal and others in hex, then var_off when bits are unknown.
    /// </summary>
    public override string ToString()
    {
        if (IsConstant)
        {
            return ((long)Value).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var bounds = new (string Name, long Value, bool Omit)[]
        {
            ("smin", SMin, SMin == long.MinValue), ("smax", SMax, SMax == long.MaxValue),
            ("umin", (long)UMin, UMin == 0), ("umax", (long)UMax, UMax == ulong.MaxValue),
            ("smin32", S32Min, S32Min == int.MinValue), ("smax32", S32Max, S32Max == int.MaxValue),
            ("umin32", U32Min, U32Min == 0), ("umax32", U32Max, U32Max == uint.MaxValue),
        };
        var parts = new List<string>(9);
        for (var i = 0; i < bounds.Length; i++)
        {
            if (bounds[i].Omit)
            {
                continue;
            }

            bool signed = bounds[i].Name[0] == 's';
            bool negative = signed && bounds[i].Value < 0;
            var names = new System.Text.StringBuilder(bounds[i].Name);
            for (var j = i + 2; j < bounds.Length; j += 2)
            {
                bool otherNegative = bounds[j].Name[0] == 's' && bounds[j].Value < 0;
                if (!bounds[j].Omit && bounds[j].Value == bounds[i].Value && otherNegative == negative)
                {
                    bounds[j].Omit = true;
                    names.Append('=').Append(bounds[j].Name);
                }
            }

            parts.Add($"{names}={Number(bounds[i].Value, signed)}");
        }

        if (KnownBits != Tnum.Unknown)
        {
            parts.Add($"var_off={KnownBits}");
        }

        return parts.Count == 0 ? "scalar()" : $"scalar({string.Join(",", parts)})";
    }

    private static string Number(long value, bool signed) =>
        signed ? (value >= -512 && value <= 512 ? value.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"0x{value:x}")
            : (ulong)value <= 512 ? ((ulong)value).ToString(System.Globalization.CultureInfo.InvariantCulture) : $"0x{(ulong)value:x}";
}
