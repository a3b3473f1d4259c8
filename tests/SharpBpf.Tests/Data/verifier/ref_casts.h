// Shared by the *ref_cast_* objects: socket casts (bpf_sk_fullsock, bpf_tcp_sock, bpf_get_listener_sock,
// bpf_skc_to_*) on __sk_buff.sk and on looked-up sockets. The kernel structs behind bpf_skc_to_* are read at this
// machine's offsets (Linux 6.18.44's BTF: tcp_sock.srtt_us at 1680, total_retrans at 2200, tcp_sock is 2304 bytes), without CO-RE.
#include "ref_sockets.h"
#define TCP_SOCK_SRTT_US 1680
#define TCP_SOCK_SIZE 2304
#define TCP_SOCK_TOTAL_RETRANS 2200
static __always_inline __u32 srtt_of(struct tcp_sock *tp)
{
	return *(volatile __u32 *)((char *)tp + TCP_SOCK_SRTT_US);
}
