using System.Diagnostics.CodeAnalysis;

namespace SharpBpf.Btf.Internal;

/// <summary>Throw helpers so hot parsing loops carry no <c>throw new</c>.</summary>
internal static class BtfErrors
{
    public const string BtfSection = ".BTF";
    public const string BtfExtSection = ".BTF.ext";

    [DoesNotReturn]
    public static void Throw(string section, long offset, string reason) =>
        throw new ObjectLoadException(reason, sectionName: section, offset: offset);

    [DoesNotReturn]
    public static T Throw<T>(string section, long offset, string reason) =>
        throw new ObjectLoadException(reason, sectionName: section, offset: offset);
}
