using SharpBpf.Loader;

namespace SharpBpf.Helpers;

/// <summary>A set of program types (one bit per <see cref="ProgramType"/> value): the types a helper is offered to.</summary>
public readonly record struct ProgramTypeSet(ulong Bits)
{
    public static ProgramTypeSet Empty => default;

    public static ProgramTypeSet Of(params ReadOnlySpan<ProgramType> types)
    {
        ulong bits = 0;
        foreach (var type in types)
        {
            bits |= Bit(type);
        }

        return new ProgramTypeSet(bits);
    }

    public bool Contains(ProgramType type) => (Bits & Bit(type)) != 0;

    public bool IsEmpty => Bits == 0;

    public ProgramTypeSet Union(ProgramTypeSet other) => new(Bits | other.Bits);

    public IEnumerable<ProgramType> Types
    {
        get
        {
            for (var value = 0; value < 64; value++)
            {
                if ((Bits & (1UL << value)) != 0)
                {
                    yield return (ProgramType)(uint)value;
                }
            }
        }
    }

    private static ulong Bit(ProgramType type) => (uint)type < 64 ? 1UL << (int)(uint)type : 0;

    public override string ToString() => string.Join(", ", Types.Select(t => t.ToKernelName()));
}
