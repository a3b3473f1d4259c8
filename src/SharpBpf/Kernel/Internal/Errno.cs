using System.Runtime.InteropServices;

namespace SharpBpf.Kernel.Internal;

/// <summary>Names and texts for the errno values the BPF syscalls return (libbpf hands them back negated).</summary>
internal static class Errno
{
    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int ENOMEM = 12;
    public const int EACCES = 13;
    public const int EINVAL = 22;
    public const int ENOSPC = 28;
    public const int ENOSYS = 38;
    public const int EOPNOTSUPP = 95;
    /// <summary>Kernel-internal ENOTSUPP, which BPF commands do leak to user space.</summary>
    public const int ENOTSUPP = 524;

    /// <summary>libbpf's private codes: LIBBPF_ERRNO__LIBELF (4000) … LIBBPF_ERRNO__NLPARSE (4013).</summary>
    private const int LibBpfFirst = 4000;
    private const int LibBpfLast = 4099;

    public static string Name(int errno) => Math.Abs(errno) switch
    {
        4000 => "LIBBPF_ERRNO__LIBELF", 4001 => "LIBBPF_ERRNO__FORMAT", 4002 => "LIBBPF_ERRNO__KVERSION",
        4003 => "LIBBPF_ERRNO__ENDIAN", 4004 => "LIBBPF_ERRNO__INTERNAL", 4005 => "LIBBPF_ERRNO__RELOC",
        4006 => "LIBBPF_ERRNO__LOAD", 4007 => "LIBBPF_ERRNO__VERIFY", 4008 => "LIBBPF_ERRNO__PROG2BIG",
        4009 => "LIBBPF_ERRNO__KVER", 4010 => "LIBBPF_ERRNO__PROGTYPE", 4011 => "LIBBPF_ERRNO__WRNGPID",
        4012 => "LIBBPF_ERRNO__INVSEQ", 4013 => "LIBBPF_ERRNO__NLPARSE",
        1 => "EPERM", 2 => "ENOENT", 4 => "EINTR", 7 => "E2BIG", 9 => "EBADF", 12 => "ENOMEM", 13 => "EACCES",
        14 => "EFAULT", 16 => "EBUSY", 17 => "EEXIST", 22 => "EINVAL", 28 => "ENOSPC", 35 => "EDEADLK",
        38 => "ENOSYS", 95 => "EOPNOTSUPP", 524 => "ENOTSUPP",
        var other => "errno " + other.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>"Invalid argument (EINVAL)".</summary>
    public static string Describe(int errno)
    {
        int positive = Math.Abs(errno);
        string text = positive switch
        {
            ENOTSUPP => "Operation not supported by this map or program",
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
