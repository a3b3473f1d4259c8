namespace SharpBpf.Maps;

/// <summary>
/// Linux errno numbers (x86-64 / generic): the one table of them in SharpBpf. Map operations and helpers return them
/// (helpers hand <c>-errno</c> to programs), and the kernel engine names the BPF system call's failures with them.
/// </summary>
public enum Errno
{
    /// <summary>Success.</summary>
    None = 0,
    /// <summary><c>EPERM</c>: operation not permitted.</summary>
    EPERM = 1,
    /// <summary><c>ENOENT</c>: no such element (lookup or delete of a missing key, end of iteration).</summary>
    ENOENT = 2,
    /// <summary><c>EINTR</c>: interrupted system call.</summary>
    EINTR = 4,
    /// <summary><c>E2BIG</c>: too big: the map is full, or an argument exceeds a limit.</summary>
    E2BIG = 7,
    /// <summary><c>EBADF</c>: bad file descriptor (no such map).</summary>
    EBADF = 9,
    /// <summary><c>EAGAIN</c>: try again (a ring buffer or queue with no room, a busy resource).</summary>
    EAGAIN = 11,
    /// <summary><c>ENOMEM</c>: out of memory (or out of preallocated elements).</summary>
    ENOMEM = 12,
    /// <summary><c>EACCES</c>: permission denied.</summary>
    EACCES = 13,
    /// <summary><c>EFAULT</c>: bad address.</summary>
    EFAULT = 14,
    /// <summary><c>EBUSY</c>: resource busy (a timer callback cancelling its own timer).</summary>
    EBUSY = 16,
    /// <summary><c>EEXIST</c>: the element exists (update with <see cref="MapUpdateFlags.NoExist"/>).</summary>
    EEXIST = 17,
    /// <summary><c>ENODEV</c>: no such device.</summary>
    ENODEV = 19,
    /// <summary><c>EINVAL</c>: invalid argument: the operation or its flags do not apply.</summary>
    EINVAL = 22,
    /// <summary><c>ENOSPC</c>: no space left.</summary>
    ENOSPC = 28,
    /// <summary><c>ERANGE</c>: result out of range.</summary>
    ERANGE = 34,
    /// <summary><c>EDEADLK</c>: deadlock avoided (a timer callback waiting on itself).</summary>
    EDEADLK = 35,
    /// <summary><c>ENOSYS</c>: function not implemented (no BPF system call on this kernel).</summary>
    ENOSYS = 38,
    /// <summary><c>EPROTO</c>: protocol error.</summary>
    EPROTO = 71,
    /// <summary><c>EOVERFLOW</c>: value too large.</summary>
    EOVERFLOW = 75,
    /// <summary><c>ENOTSOCK</c>: not a socket.</summary>
    ENOTSOCK = 88,
    /// <summary><c>EOPNOTSUPP</c>: operation not supported by this map or object.</summary>
    EOPNOTSUPP = 95,
    /// <summary><c>EAFNOSUPPORT</c>: address family not supported.</summary>
    EAFNOSUPPORT = 97,
    /// <summary><c>EALREADY</c>: already in progress.</summary>
    EALREADY = 114,
    /// <summary>Kernel-internal ENOTSUPP (524), which BPF syscalls do leak to user space.</summary>
    ENOTSUPP = 524,
}

internal static class ErrnoExtensions
{
    /// <summary>The value a helper returns in r0: 0 or <c>-errno</c>.</summary>
    public static long ToHelperResult(this Errno errno) => -(long)(int)errno;
}
