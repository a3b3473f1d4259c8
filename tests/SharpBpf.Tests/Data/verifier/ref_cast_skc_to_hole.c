// SPDX-License-Identifier: GPL-2.0
// A read inside struct tcp_sock but in no field of it (the padding at 2300): Linux walks the kernel's BTF and refuses
// it; SharpBpf has no kernel BTF and only knows the struct's size (a known gap, see SocketCastTests).
#include "ref_casts.h"
SEC("tc")
int read_padding(struct __sk_buff *skb)
{
	struct bpf_sock *sk = skb->sk;
	if (!sk)
		return TC_ACT_OK;
	struct tcp_sock *tp = bpf_skc_to_tcp_sock(sk);
	if (!tp)
		return TC_ACT_OK;
	return *(volatile __u32 *)((char *)tp + TCP_SOCK_SIZE - 4) ? TC_ACT_SHOT : TC_ACT_OK;
}
char LICENSE[] SEC("license") = "GPL";
