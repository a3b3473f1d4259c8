// SPDX-License-Identifier: GPL-2.0
// The usual tc shape: __sk_buff.sk checked, made a full socket, its tcp_sock and listener asked for, fields read.
#include "ref_casts.h"
SEC("tc")
int full_and_tcp(struct __sk_buff *skb)
{
	struct bpf_sock *sk = skb->sk;
	if (!sk)
		return TC_ACT_OK;
	sk = bpf_sk_fullsock(sk);
	if (!sk)
		return TC_ACT_SHOT;
	__u32 seen = sk->family + sk->type + sk->protocol + sk->state + sk->mark + sk->priority;
	struct bpf_tcp_sock *tp = bpf_tcp_sock(sk);
	if (tp)
		seen += tp->snd_cwnd + (__u32)tp->bytes_received + tp->icsk_retransmits;
	struct bpf_sock *listener = bpf_get_listener_sock(sk);
	if (listener)
		seen += listener->src_port;
	return seen == 7 ? TC_ACT_OK : TC_ACT_SHOT;
}
char LICENSE[] SEC("license") = "GPL";
