// SPDX-License-Identifier: (MIT OR GPL-2.0)
// proto_counters.c — count packets per protocol in a per-CPU array (XDP).
//
// Demonstrates: a BTF-defined PERCPU_ARRAY map, bounds-checked Ethernet/IP
// header access, and why per-CPU counters need no atomics (each CPU owns its
// own copy of the value; user space sums the copies).
// Every packet is passed (XDP_PASS); the program only observes.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

// Slots of the counter array; keep in sync with examples/README.md.
enum proto_slot {
	SLOT_OTHER = 0,	// not IPv4/IPv6/ARP, or a header was truncated
	SLOT_IPV4 = 1,
	SLOT_IPV6 = 2,
	SLOT_ARP = 3,
	SLOT_TCP = 4,	// counted in addition to SLOT_IPV4/SLOT_IPV6
	SLOT_UDP = 5,
	SLOT_ICMP = 6,	// ICMP or ICMPv6
	SLOT_COUNT = 8,
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SLOT_COUNT);
	__type(key, __u32);
	__type(value, __u64);
} proto_counts SEC(".maps");

static __always_inline void count(__u32 slot)
{
	__u64 *value = bpf_map_lookup_elem(&proto_counts, &slot);

	if (value)	// the verifier insists on the NULL check even for arrays
		*value += 1;
}

SEC("xdp")
int count_protocols(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	__u8 l4 = 0;

	if ((void *)(eth + 1) > data_end) {
		count(SLOT_OTHER);
		return XDP_PASS;
	}

	switch (bpf_ntohs(eth->h_proto)) {
	case ETH_P_IP: {
		struct iphdr *ip = (void *)(eth + 1);

		count(SLOT_IPV4);
		if ((void *)(ip + 1) > data_end)
			return XDP_PASS;
		l4 = ip->protocol;
		break;
	}
	case ETH_P_IPV6: {
		struct ipv6hdr *ip6 = (void *)(eth + 1);

		count(SLOT_IPV6);
		if ((void *)(ip6 + 1) > data_end)
			return XDP_PASS;
		l4 = ip6->nexthdr;
		break;
	}
	case ETH_P_ARP:
		count(SLOT_ARP);
		return XDP_PASS;
	default:
		count(SLOT_OTHER);
		return XDP_PASS;
	}

	if (l4 == IPPROTO_TCP)
		count(SLOT_TCP);
	else if (l4 == IPPROTO_UDP)
		count(SLOT_UDP);
	else if (l4 == IPPROTO_ICMP || l4 == IPPROTO_ICMPV6)
		count(SLOT_ICMP);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
