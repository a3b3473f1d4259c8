// SPDX-License-Identifier: GPL-2.0
// skb->sk is a socket the program does not own: it may not be released.
#include "ref_sockets.h"
SEC("tc")
int release_borrowed(struct __sk_buff *skb)
{
	struct bpf_sock *sk = skb->sk;
	if (!sk)
		return TC_ACT_OK;
	bpf_sk_release(sk);
	return TC_ACT_OK;
}
char LICENSE[] SEC("license") = "GPL";
