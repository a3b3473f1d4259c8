// SPDX-License-Identifier: GPL-2.0
// bpf_get_listener_sock hands out no reference: releasing the listener is a mistake.
#include "ref_casts.h"
SEC("tc")
int release_listener(struct __sk_buff *skb)
{
	struct bpf_sock *sk = skb->sk;
	if (!sk)
		return TC_ACT_OK;
	struct bpf_sock *listener = bpf_get_listener_sock(sk);
	if (!listener)
		return TC_ACT_OK;
	bpf_sk_release(listener);
	return TC_ACT_SHOT;
}
char LICENSE[] SEC("license") = "GPL";
