// SPDX-License-Identifier: GPL-2.0
// bpf_skc_lookup_tcp gives a sock_common: its type field (bpf_sock offset 8) is not readable.
#include "ref_sockets.h"
SEC("tc")
int read_common_type(struct __sk_buff *skb)
{
	struct bpf_sock_tuple tuple;
	web_tuple(&tuple, skb->mark);
	struct bpf_sock *sk = bpf_skc_lookup_tcp(skb, &tuple, sizeof(tuple.ipv4), BPF_F_CURRENT_NETNS, 0);
	if (!sk)
		return TC_ACT_OK;
	__u32 type = sk->type;
	bpf_sk_release(sk);
	return type == 1 ? TC_ACT_SHOT : TC_ACT_OK;
}
char LICENSE[] SEC("license") = "GPL";
