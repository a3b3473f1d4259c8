namespace SharpBpf.Maps;

/// <summary>Linux errno numbers (x86-64 / generic) as the map operations return them. Helpers hand <c>-errno</c> to programs.</summary>
public enum Errno
{
    None = 0,
    EPERM = 1,
    ENOENT = 2,
    E2BIG = 7,
    EBADF = 9,
    EAGAIN = 11,
    ENOMEM = 12,
    EACCES = 13,
    EFAULT = 14,
    EBUSY = 16,
    EEXIST = 17,
    ENODEV = 19,
    EINVAL = 22,
    ENOSPC = 28,
    ERANGE = 34,
    EDEADLK = 35,
    EPROTO = 71,
    EOVERFLOW = 75,
    ENOTSOCK = 88,
    EOPNOTSUPP = 95,
    EAFNOSUPPORT = 97,
    EALREADY = 114,
    /// <summary>Kernel-internal ENOTSUPP (524), which BPF syscalls do leak to user space.</summary>
    ENOTSUPP = 524,
}

internal static class ErrnoExtensions
{
    /// <summary>The value a helper returns in r0: 0 or <c>-errno</c>.</summary>
    public static long ToHelperResult(this Errno errno) => -(long)(int)errno;
}
