using System.Globalization;
using System.Runtime.InteropServices;
using SharpBpf.Maps;

namespace SharpBpf.Kernel.Internal;

/// <summary>
/// Texts for the errno values the BPF system calls return (libbpf hands them back negated): the names come from the
/// one errno table, <see cref="Errno"/>, plus libbpf's private codes, which only the kernel engine meets.
/// </summary>
internal static class ErrnoText
{
    /// <summary>libbpf's private codes: LIBBPF_ERRNO__LIBELF (4000) … LIBBPF_ERRNO__NLPARSE (4013).</summary>
    private const int LibBpfFirst = 4000;
    private const int LibBpfLast = 4099;

    private static readonly string[] LibBpfNames =
    [
        "LIBELF", "FORMAT", "KVERSION", "ENDIAN", "INTERNAL", "RELOC", "LOAD", "VERIFY", "PROG2BIG", "KVER", "PROGTYPE",
        "WRNGPID", "INVSEQ", "NLPARSE",
    ];

    /// <summary>The errno of a negated system-call result (<see cref="Errno.None"/> for a success).</summary>
    public static Errno Of(int result) => result < 0 ? (Errno)(-result) : Errno.None;

    public static string Name(int errno)
    {
        int positive = Math.Abs(errno);
        if (positive - LibBpfFirst is >= 0 and var index && index < LibBpfNames.Length)
            return "LIBBPF_ERRNO__" + LibBpfNames[index];
        return positive != 0 && Enum.IsDefined((Errno)positive)
            ? ((Errno)positive).ToString()
            : "errno " + positive.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>"Invalid argument (EINVAL)".</summary>
    public static string Describe(int errno)
    {
        int positive = Math.Abs(errno);
        string text = positive switch
        {
            (int)Errno.ENOTSUPP => "Operation not supported by this map or program",
            >= LibBpfFirst and <= LibBpfLast => LibBpfText(positive),
            _ => Marshal.GetPInvokeErrorMessage(positive),
        };
        return $"{text} ({Name(positive)})";
    }

    private static unsafe string LibBpfText(int errno)
    {
        byte* buffer = stackalloc byte[128];
        _ = LibBpf.StrError(errno, buffer, 128); // an unknown code still gets a text ("Unknown libbpf error N")
        return Marshal.PtrToStringUTF8((nint)buffer) ?? $"libbpf error {errno}";
    }
}
