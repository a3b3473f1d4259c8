namespace SharpBpf.Isa;

/// <summary>
/// What one field of an instruction (dst, src, offset or immediate) must hold for a table entry:
/// either it is an operand (any register r0–r10, any offset or immediate), or it must equal a fixed value
/// (zero for reserved fields; a discriminator such as the atomic operation or the movsx width).
/// </summary>
internal readonly record struct FieldRule(bool IsOperand, int FixedValue)
{
    public static readonly FieldRule Operand = new(true, 0);
    public static readonly FieldRule Zero = new(false, 0);

    public static FieldRule Fixed(int value) => new(false, value);

    public bool Accepts(int value) => IsOperand || value == FixedValue;

    public override string ToString() => IsOperand ? "operand" : FixedValue.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
