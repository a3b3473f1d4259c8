// SPDX-License-Identifier: GPL-2.0
// __sk_buff.sk may be NULL: it is passed to bpf_sk_fullsock unchecked.
#include "ref_casts.h"
SEC("tc")
int fullsock_unchecked(struct __sk_buff *skb)
{
	struct bpf_sock *sk = bpf_sk_fullsock(skb->sk);
	return sk ? TC_ACT_SHOT : TC_ACT_OK;
}
char LICENSE[] SEC("license") = "GPL";
