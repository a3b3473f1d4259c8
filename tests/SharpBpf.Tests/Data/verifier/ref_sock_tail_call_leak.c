// SPDX-License-Identifier: GPL-2.0
// A tail call never returns: the socket looked up before it would leak.
#include "ref_sockets.h"
struct { __uint(type, BPF_MAP_TYPE_PROG_ARRAY); __uint(max_entries, 4); __type(key, __u32); __type(value, __u32); } next_stage SEC(".maps");
SEC("tc")
int jump_holding_socket(struct __sk_buff *skb)
{
	struct bpf_sock_tuple tuple;
	web_tuple(&tuple, skb->mark);
	struct bpf_sock *sk = bpf_sk_lookup_tcp(skb, &tuple, sizeof(tuple.ipv4), BPF_F_CURRENT_NETNS, 0);
	if (!sk)
		return TC_ACT_OK;
	bpf_tail_call(skb, &next_stage, 0);
	bpf_sk_release(sk);
	return TC_ACT_OK;
}
char LICENSE[] SEC("license") = "GPL";
