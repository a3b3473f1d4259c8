namespace SharpBpf.Tests.Soundness;

/// <summary>The maps <see cref="RandomProgramGenerator"/> writes for (indices in lddw) and their sizes.</summary>
internal static class GeneratedWorld
{
    public const int ArrayMap = 0, HashMap = 1, GlobalMap = 2;
    public const uint ArrayValueSize = 24, ArrayEntries = 4;
    public const uint HashValueSize = 40, HashEntries = 8;
    public const uint GlobalValueSize = 64;
}
