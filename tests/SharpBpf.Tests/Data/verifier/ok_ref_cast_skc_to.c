// SPDX-License-Identifier: GPL-2.0
// Every bpf_skc_to_* cast of __sk_buff.sk in cgroup_skb, each NULL-checked before a read inside its struct.
#include "ref_casts.h"
SEC("cgroup_skb/egress")
int every_cast(struct __sk_buff *skb)
{
	struct bpf_sock *sk = skb->sk;
	if (!sk)
		return 1;
	__u32 seen = 0;
	struct tcp_sock *tp = bpf_skc_to_tcp_sock(sk);
	if (tp)
		seen += srtt_of(tp) + *(volatile __u32 *)((char *)tp + TCP_SOCK_TOTAL_RETRANS);
	struct tcp6_sock *tp6 = bpf_skc_to_tcp6_sock(sk);
	if (tp6)
		seen += *(volatile __u8 *)tp6;
	struct udp6_sock *up6 = bpf_skc_to_udp6_sock(sk);
	if (up6)
		seen += *(volatile __u16 *)up6;
	struct tcp_timewait_sock *tw = bpf_skc_to_tcp_timewait_sock(sk);
	if (tw)
		seen += *(volatile __u32 *)tw;
	struct tcp_request_sock *req = bpf_skc_to_tcp_request_sock(sk);
	if (req)
		seen += (__u32)*(volatile __u64 *)req;
	return seen ? 0 : 1;
}
char LICENSE[] SEC("license") = "GPL";
