namespace SharpBpf.Verifier;

/// <summary>
/// The return values the kernel's check_return_code allows the main program of the cgroup and socket-level types
/// (measured on Linux 6.18: a program returning -1…4 for each type and attach type). Other types' return values are
/// not checked.
/// </summary>
internal static class ProgramReturnCodes
{
    private const uint CgroupSkb = 8, CgroupSock = 9, SockOps = 13, CgroupDevice = 15, CgroupSockAddr = 18, CgroupSysctl = 23,
        CgroupSockopt = 25, SkLookup = 30;

    private const uint InetEgress = 1, Inet4Bind = 8, Inet6Bind = 9, Udp4Recvmsg = 19, Udp6Recvmsg = 20, Inet4Getpeername = 29,
        Inet6Getpeername = 30, Inet4Getsockname = 31, Inet6Getsockname = 32, UnixRecvmsg = 51, UnixGetpeername = 52, UnixGetsockname = 53;

    public static (long Min, long Max)? RangeFor(uint? programType, uint? attachType) => programType switch
    {
        // Egress may also return 2 and 3 (drop or pass, with congestion notification).
        CgroupSkb => attachType == InetEgress ? (0, 3) : (0, 1),
        CgroupSockAddr => attachType switch
        {
            // These only rewrite the address the caller sees: they must let the call go on.
            Udp4Recvmsg or Udp6Recvmsg or Inet4Getpeername or Inet6Getpeername or Inet4Getsockname or Inet6Getsockname
                or UnixRecvmsg or UnixGetpeername or UnixGetsockname => (1, 1),
            Inet4Bind or Inet6Bind => (0, 3),
            _ => (0, 1),
        },
        CgroupSock or SockOps or CgroupDevice or CgroupSysctl or CgroupSockopt or SkLookup => (0, 1),
        _ => null,
    };
}
