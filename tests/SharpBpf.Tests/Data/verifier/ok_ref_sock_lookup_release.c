// SPDX-License-Identifier: GPL-2.0
// Looked up, checked, read (state, a narrow byte of src_ip4, dst_port as u32) and released.
#include "ref_sockets.h"
SEC("tc")
int read_and_release(struct __sk_buff *skb)
{
	struct bpf_sock_tuple tuple;
	web_tuple(&tuple, skb->mark);
	struct bpf_sock *sk = bpf_sk_lookup_tcp(skb, &tuple, sizeof(tuple.ipv4), BPF_F_CURRENT_NETNS, 0);
	if (!sk)
		return TC_ACT_OK;
	__u32 seen = sk->state + *(volatile __u8 *)&sk->src_ip4 + *(volatile __u32 *)&sk->dst_port;
	bpf_sk_release(sk);
	return seen == 7 ? TC_ACT_SHOT : TC_ACT_OK;
}
char LICENSE[] SEC("license") = "GPL";
