// SPDX-License-Identifier: GPL-2.0
// The two bytes after dst_port are padding: a byte read there is refused on a full socket too.
#include "ref_sockets.h"
SEC("tc")
int read_padding(struct __sk_buff *skb)
{
	struct bpf_sock_tuple tuple;
	web_tuple(&tuple, skb->mark);
	struct bpf_sock *sk = bpf_sk_lookup_tcp(skb, &tuple, sizeof(tuple.ipv4), BPF_F_CURRENT_NETNS, 0);
	if (!sk)
		return TC_ACT_OK;
	__u8 pad = *((volatile __u8 *)&sk->dst_port + 2);
	bpf_sk_release(sk);
	return pad ? TC_ACT_SHOT : TC_ACT_OK;
}
char LICENSE[] SEC("license") = "GPL";
