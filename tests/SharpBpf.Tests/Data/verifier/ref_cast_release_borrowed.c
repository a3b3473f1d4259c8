// SPDX-License-Identifier: GPL-2.0
// The full socket of __sk_buff.sk is borrowed from the skb: the program releases it.
#include "ref_casts.h"
SEC("tc")
int release_borrowed(struct __sk_buff *skb)
{
	struct bpf_sock *sk = skb->sk;
	if (!sk)
		return TC_ACT_OK;
	sk = bpf_sk_fullsock(sk);
	if (sk)
		bpf_sk_release(sk);
	return TC_ACT_OK;
}
char LICENSE[] SEC("license") = "GPL";
