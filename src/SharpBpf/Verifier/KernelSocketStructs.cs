namespace SharpBpf.Verifier;

/// <summary>A kernel socket struct a bpf_skc_to_* cast returns: its name and size in the kernel's BTF.</summary>
internal sealed record KernelSocketStruct(string Name, int Size);

/// <summary>
/// The structs behind bpf_skc_to_tcp6_sock, _tcp_sock, _tcp_timewait_sock, _tcp_request_sock and _udp6_sock, with their
/// sizes in Linux 6.18.44's vmlinux BTF on x86-64 (bpftool btf dump file /sys/kernel/btf/vmlinux). Their sizes differ,
/// so a pointer's size (<see cref="RegisterValue.MemorySize"/>) names its struct.
/// </summary>
internal static class KernelSocketStructs
{
    private static readonly KernelSocketStruct Tcp6Sock = new("tcp6_sock", 2432), TcpSock = new("tcp_sock", 2304),
        TcpTimewaitSock = new("tcp_timewait_sock", 248), TcpRequestSock = new("tcp_request_sock", 312), Udp6Sock = new("udp6_sock", 1472);

    private static readonly KernelSocketStruct[] All = [Tcp6Sock, TcpSock, TcpTimewaitSock, TcpRequestSock, Udp6Sock];

    /// <summary>The struct bpf_skc_to_* helper <paramref name="helper"/> (136–140) returns.</summary>
    public static KernelSocketStruct ReturnedBy(int helper) => All[helper - 136];

    public static KernelSocketStruct OfSize(int size) => Array.Find(All, s => s.Size == size)
        ?? throw new InvalidOperationException($"no kernel socket struct of {size} bytes");
}
