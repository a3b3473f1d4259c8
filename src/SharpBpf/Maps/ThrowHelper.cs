using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace SharpBpf.Maps;

internal static class ThrowHelper
{
    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    public static void BufferTooSmall(string parameter, int needed, int given) =>
        throw new ArgumentException($"buffer of {given} bytes, the map needs {needed}", parameter);

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    public static void Disposed(string name) => throw new ObjectDisposedException($"map '{name}'");
}
