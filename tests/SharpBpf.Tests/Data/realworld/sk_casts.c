// SPDX-License-Identifier: GPL-2.0
// Real-world shape: tc and socket-filter programs that classify a packet by its socket (the start of per-socket
// accounting or a "is it a TCP connection?" check): __sk_buff.sk NULL-checked, made a full socket, its tcp_sock,
// listener and kernel casts asked for, and a looked-up socket cast before release. In a test run the skb's socket is
// the run's own (no family, no protocol, state TCP_CLOSE), so Linux and SharpBpf must see the same fields and NULLs.
// Rebuild with ./build.sh (clang-19).
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 24);
	__type(key, __u32);
	__type(value, __u64);
} seen SEC(".maps");

static __always_inline void note(__u32 slot, __u64 value)
{
	__u64 *v = bpf_map_lookup_elem(&seen, &slot);
	if (v)
		*v += value;
}

static __always_inline void note_socket(__u32 base, struct bpf_sock *sk)
{
	note(base, sk->family);
	note(base + 1, sk->state);
	note(base + 2, sk->src_port + sk->dst_port + sk->src_ip4 + sk->dst_ip4 + sk->bound_dev_if);
	note(base + 4, sk->src_ip6[0] + sk->src_ip6[3] + sk->dst_ip6[1] + sk->dst_ip6[3]);
	note(base + 3, (__u32)sk->rx_queue_mapping);
}

SEC("tc")
int tc_by_socket(struct __sk_buff *skb)
{
	struct bpf_sock *sk = skb->sk;
	if (!sk) {
		note(0, 1);
		return TC_ACT_OK;
	}
	note_socket(1, sk);
	struct bpf_sock *full = bpf_sk_fullsock(sk);
	if (!full) {
		note(11, 1);
		return TC_ACT_OK;
	}
	note(6, full->type + full->protocol + full->mark + full->priority);
	struct bpf_tcp_sock *tp = bpf_tcp_sock(full);
	if (tp)
		note(7, tp->snd_cwnd + tp->bytes_acked);
	else
		note(8, 1);
	if (bpf_get_listener_sock(full))
		note(9, 1);
	if (bpf_skc_to_tcp_sock(sk))
		note(10, 1);
	if (bpf_skc_to_tcp6_sock(sk))
		note(10, 2);
	if (bpf_skc_to_udp6_sock(sk))
		note(10, 4);
	if (bpf_skc_to_tcp_timewait_sock(sk))
		note(10, 8);
	if (bpf_skc_to_tcp_request_sock(sk))
		note(10, 16);
	return full->state == 7 ? TC_ACT_SHOT : TC_ACT_OK;
}

SEC("tc")
int tc_lookup_cast(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data, *data_end = (void *)(long)skb->data_end;
	struct iphdr *ip = data + sizeof(struct ethhdr);
	struct udphdr *udp = (void *)(ip + 1);
	struct bpf_sock_tuple tuple = {};
	if ((void *)(udp + 1) > data_end)
		return TC_ACT_OK;
	tuple.ipv4.saddr = ip->saddr;
	tuple.ipv4.daddr = ip->daddr;
	tuple.ipv4.sport = udp->source;
	tuple.ipv4.dport = udp->dest;
	struct bpf_sock *sk = bpf_skc_lookup_tcp(skb, &tuple, sizeof(tuple.ipv4), BPF_F_CURRENT_NETNS, 0);
	if (!sk) {
		note(12, 1);
		return TC_ACT_OK;
	}
	struct bpf_sock *full = bpf_sk_fullsock(sk);
	if (full)
		note(13, full->state);
	bpf_sk_release(sk);
	return TC_ACT_SHOT;
}

SEC("socket")
int filter_by_socket(struct __sk_buff *skb)
{
	struct bpf_sock *sk = skb->sk;
	if (!sk) {
		note(23, 1);
		return 0;
	}
	note_socket(17, sk);
	return skb->len;
}

char LICENSE[] SEC("license") = "GPL";
