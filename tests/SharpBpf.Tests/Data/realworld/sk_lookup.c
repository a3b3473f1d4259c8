// SPDX-License-Identifier: GPL-2.0
// Real-world shape: XDP and tc programs that look a packet's flow up among the host's sockets (the start of a
// socket-steering or "is this ours?" check), release what they find, and count the outcome. In a test run no socket
// owns the tuples the tests send, so Linux and SharpBpf must both find nothing. Rebuild with ./build.sh (clang-19).
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
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} outcomes SEC(".maps");

static __always_inline int tuple_of(void *data, void *data_end, struct bpf_sock_tuple *tuple)
{
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	struct udphdr *udp = (void *)(ip + 1);

	if ((void *)(udp + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP) || ip->ihl != 5)
		return -1;
	tuple->ipv4.saddr = ip->saddr;
	tuple->ipv4.daddr = ip->daddr;
	tuple->ipv4.sport = udp->source;
	tuple->ipv4.dport = udp->dest;
	return 0;
}

static __always_inline void count(__u32 outcome)
{
	__u64 *n = bpf_map_lookup_elem(&outcomes, &outcome);
	if (n)
		__sync_fetch_and_add(n, 1);
}

SEC("xdp")
int xdp_is_ours(struct xdp_md *ctx)
{
	struct bpf_sock_tuple tuple = {};
	__u32 outcome = 0;
	struct bpf_sock *sk;

	if (tuple_of((void *)(long)ctx->data, (void *)(long)ctx->data_end, &tuple))
		return XDP_ABORTED;
	sk = bpf_sk_lookup_udp(ctx, &tuple, sizeof(tuple.ipv4), BPF_F_CURRENT_NETNS, 0);
	if (sk) {
		outcome |= 1;
		bpf_sk_release(sk);
	}
	sk = bpf_sk_lookup_tcp(ctx, &tuple, sizeof(tuple.ipv4), BPF_F_CURRENT_NETNS, 0);
	if (sk) {
		outcome |= 2;
		bpf_sk_release(sk);
	}
	sk = bpf_skc_lookup_tcp(ctx, &tuple, sizeof(tuple.ipv4), BPF_F_CURRENT_NETNS, 0);
	if (sk) {
		outcome |= 4;
		bpf_sk_release(sk);
	}
	/* A tuple of the wrong size and unknown flags find nothing either. */
	sk = bpf_sk_lookup_udp(ctx, &tuple, 3, BPF_F_CURRENT_NETNS, 0);
	if (sk) {
		outcome |= 8;
		bpf_sk_release(sk);
	}
	count(outcome);
	return outcome ? XDP_DROP : XDP_PASS;
}

SEC("tc")
int tc_is_ours(struct __sk_buff *skb)
{
	struct bpf_sock_tuple tuple = {};
	__u32 outcome = 0;
	struct bpf_sock *sk;

	if (tuple_of((void *)(long)skb->data, (void *)(long)skb->data_end, &tuple))
		return TC_ACT_SHOT;
	sk = bpf_sk_lookup_tcp(skb, &tuple, sizeof(tuple.ipv4), BPF_F_CURRENT_NETNS, 0);
	if (sk) {
		outcome |= 1;
		bpf_sk_release(sk);
	}
	sk = bpf_skc_lookup_tcp(skb, &tuple, sizeof(tuple.ipv4), BPF_F_CURRENT_NETNS, 1);
	if (sk) {
		outcome |= 2;
		bpf_sk_release(sk);
	}
	count(8 + outcome);
	return outcome ? TC_ACT_SHOT : TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
