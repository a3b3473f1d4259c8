// SPDX-License-Identifier: GPL-2.0
// Wrong: the UDP branch reads the ports before checking the header against data_end. Otherwise: parses Ethernet, up to two VLAN tags, IPv4 or IPv6 (walking up to four extension headers),
// then TCP (walking its options for the MSS) or UDP, and keeps a per-flow entry with an idle timer in an LRU hash.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/in.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define CLOCK_MONOTONIC 1
#define IDLE_NS 1000000

struct vlan_hdr {
	__be16 tci;
	__be16 encapsulated_proto;
};

struct ipv6_ext {
	__u8 next;
	__u8 len; /* in 8-byte units, not counting the first 8 */
};

struct flow_key {
	__u32 addr_hash;
	__u16 sport;
	__u16 dport;
	__u8 proto;
	__u8 pad[3];
};

struct flow {
	struct bpf_timer idle;
	__u64 packets;
	__u64 bytes;
	__u16 mss;
	__u16 vlan;
	__u32 expired;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 64);
	__type(key, struct flow_key);
	__type(value, struct flow);
} flows SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u64);
} verdicts SEC(".maps");

static void count(__u32 why)
{
	__u64 *n = bpf_map_lookup_elem(&verdicts, &why);
	if (n)
		__sync_fetch_and_add(n, 1);
}

static int on_idle(void *map, struct flow_key *key, struct flow *f)
{
	f->expired++;
	return 0;
}

static __always_inline int tcp_mss(struct tcphdr *tcp, void *end)
{
	__u8 *opt = (__u8 *)(tcp + 1);
	int doff = tcp->doff * 4;
	__u8 *opts_end = (__u8 *)tcp + doff;
	int i;

	/* Not unrolled: the kernel walks this bounded loop itself. */
	for (i = 0; i < 10; i++) {
		if ((void *)(opt + 1) > end || opt >= opts_end)
			return 0;
		if (*opt == 0)
			return 0;
		if (*opt == 1) {
			opt++;
			continue;
		}
		if ((void *)(opt + 2) > end)
			return 0;
		if (*opt == 2 && opt[1] == 4) {
			if ((void *)(opt + 4) > end)
				return 0;
			return (opt[2] << 8) | opt[3];
		}
		if (opt[1] < 2)
			return 0;
		opt += opt[1];
	}
	return 0;
}

SEC("xdp")
int track_flows(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct flow_key key = {};
	struct flow *f;
	void *l4;
	__u16 proto, vlan = 0;
	__u16 mss = 0;

	if ((void *)(eth + 1) > end) {
		count(0);
		return XDP_DROP;
	}
	proto = eth->h_proto;
	l4 = eth + 1;

#pragma unroll
	for (int i = 0; i < 2; i++) {
		struct vlan_hdr *v = l4;

		if (proto != bpf_htons(ETH_P_8021Q) && proto != bpf_htons(ETH_P_8021AD))
			break;
		if ((void *)(v + 1) > end)
			return XDP_DROP;
		vlan = bpf_ntohs(v->tci) & 0xfff;
		proto = v->encapsulated_proto;
		l4 = v + 1;
	}

	if (proto == bpf_htons(ETH_P_IP)) {
		struct iphdr *ip = l4;

		if ((void *)(ip + 1) > end || ip->ihl < 5)
			return XDP_DROP;
		key.addr_hash = ip->saddr ^ ip->daddr;
		key.proto = ip->protocol;
		l4 = (void *)ip + ip->ihl * 4;
	} else if (proto == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6 = l4;
		__u8 next;

		if ((void *)(ip6 + 1) > end)
			return XDP_DROP;
		key.addr_hash = ip6->saddr.in6_u.u6_addr32[3] ^ ip6->daddr.in6_u.u6_addr32[3];
		next = ip6->nexthdr;
		l4 = ip6 + 1;
#pragma unroll
		for (int i = 0; i < 4; i++) {
			struct ipv6_ext *ext = l4;

			if (next != IPPROTO_HOPOPTS && next != IPPROTO_ROUTING && next != IPPROTO_DSTOPTS)
				break;
			if ((void *)(ext + 1) > end)
				return XDP_DROP;
			next = ext->next;
			l4 += (ext->len + 1) * 8;
		}
		key.proto = next;
	} else {
		count(1);
		return XDP_PASS;
	}

	if (key.proto == IPPROTO_TCP) {
		struct tcphdr *tcp = l4;

		if ((void *)(tcp + 1) > end)
			return XDP_DROP;
		key.sport = tcp->source;
		key.dport = tcp->dest;
		if (tcp->syn)
			mss = tcp_mss(tcp, end);
	} else if (key.proto == IPPROTO_UDP) {
		struct udphdr *udp = l4;

		key.sport = udp->source;
		if ((void *)(udp + 1) > end)
			return XDP_DROP;
		key.dport = udp->dest;
	} else {
		count(2);
		return XDP_PASS;
	}

	f = bpf_map_lookup_elem(&flows, &key);
	if (!f) {
		struct flow fresh = { .vlan = vlan };

		if (bpf_map_update_elem(&flows, &key, &fresh, BPF_NOEXIST))
			return XDP_ABORTED;
		f = bpf_map_lookup_elem(&flows, &key);
		if (!f)
			return XDP_ABORTED;
		if (bpf_timer_init(&f->idle, &flows, CLOCK_MONOTONIC) || bpf_timer_set_callback(&f->idle, on_idle))
			return XDP_ABORTED;
		count(3);
	}
	f->packets++;
	f->bytes += end - data;
	if (mss)
		f->mss = mss;
	bpf_timer_start(&f->idle, IDLE_NS, 0);
	count(4);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
