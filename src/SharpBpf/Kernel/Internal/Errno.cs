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

    public static string Name(int errno) => Math.Abs(errno) switch
    {
        1 => "EPERM", 2 => "ENOENT", 4 => "EINTR", 7 => "E2BIG", 9 => "EBADF", 12 => "ENOMEM", 13 => "EACCES",
        14 => "EFAULT", 16 => "EBUSY", 17 => "EEXIST", 22 => "EINVAL", 28 => "ENOSPC", 35 => "EDEADLK",
        38 => "ENOSYS", 95 => "EOPNOTSUPP", 524 => "ENOTSUPP",
        var other => "errno " + other.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>"Invalid argument (EINVAL)".</summary>
    public static string Describe(int errno)
    {
        int positive = Math.Abs(errno);
        string text = positive == ENOTSUPP ? "Operation not supported by this map or program" : Marshal.GetPInvokeErrorMessage(positive);
        return $"{text} ({Name(positive)})";
    }
}
