namespace SharpBpf.Helpers;

/// <summary>
/// A set of program types by the kernel's <c>enum bpf_prog_type</c> number (one bit each; Helpers does not depend on
/// the loader, whose <c>ProgramType</c> has the same numbers): the types a helper is offered to.
/// </summary>
internal readonly record struct ProgramTypeSet(ulong Bits)
{
    public static ProgramTypeSet Empty => default;

    public static ProgramTypeSet Of(params ReadOnlySpan<uint> types)
    {
        ulong bits = 0;
        foreach (var type in types)
        {
            bits |= Bit(type);
        }

        return new ProgramTypeSet(bits);
    }

    public bool Contains(uint type) => (Bits & Bit(type)) != 0;

    public bool IsEmpty => Bits == 0;

    public ProgramTypeSet Union(ProgramTypeSet other) => new(Bits | other.Bits);

    /// <summary>The members, as <c>enum bpf_prog_type</c> numbers in ascending order.</summary>
    public IEnumerable<uint> Types
    {
        get
        {
            for (var value = 0u; value < 64; value++)
            {
                if ((Bits & (1UL << (int)value)) != 0)
                {
                    yield return value;
                }
            }
        }
    }

    private static ulong Bit(uint type) => type < 64 ? 1UL << (int)type : 0;

    public override string ToString() => string.Join(", ", Types);
}
