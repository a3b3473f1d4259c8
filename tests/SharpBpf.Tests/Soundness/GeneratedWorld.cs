namespace SharpBpf.Tests.Soundness;

/// <summary>The maps <see cref="RandomProgramGenerator"/> writes for (indices in lddw) and their sizes.</summary>
internal static class GeneratedWorld
{
    public const int ArrayMap = 0, HashMap = 1, GlobalMap = 2, LruMap = 3;
    public const uint ArrayValueSize = 24, ArrayEntries = 4;
    public const uint HashValueSize = 40, HashEntries = 8;
    public const uint GlobalValueSize = 64;
    public const uint LruValueSize = 32, LruEntries = 8;

    /// <summary>
    /// A generated global function opens with <c>mov r0, MemorySize | Nullable &lt;&lt; 16</c>: its prototype (one memory
    /// argument of that size, maybe NULL), readable from the code alone so that a failure's hex reproduces it.
    /// </summary>
    public const int NullableArgument = 1 << 16;
}
