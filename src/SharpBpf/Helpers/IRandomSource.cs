using System.Security.Cryptography;

namespace SharpBpf.Helpers;

/// <summary>The source bpf_get_prandom_u32 draws from. Implementations must be safe to call from several threads.</summary>
internal interface IRandomSource
{
    uint NextUInt32();
}

/// <summary>
/// A seedable, lock-free generator (SplitMix64 over an atomically advanced counter): the same seed gives the same
/// sequence to a single-threaded caller; concurrent callers each get distinct draws of that sequence.
/// Not cryptographic, like the kernel's prandom.
/// </summary>
internal sealed class SeededRandom : IRandomSource
{
    private const ulong Golden = 0x9E37_79B9_7F4A_7C15;
    private ulong _state;

    /// <summary>Seeded from the operating system's generator.</summary>
    public SeededRandom() : this(BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8)))
    {
    }

    public SeededRandom(ulong seed) => _state = seed;

    public uint NextUInt32()
    {
        var z = Interlocked.Add(ref _state, Golden);
        z = (z ^ (z >> 30)) * 0xBF58_476D_1CE4_E5B9;
        z = (z ^ (z >> 27)) * 0x94D0_49BB_1331_11EB;
        return (uint)((z ^ (z >> 31)) >> 32);
    }
}
