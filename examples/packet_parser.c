// SPDX-License-Identifier: (MIT OR GPL-2.0)
// packet_parser.c — a bounds-checked Ethernet/VLAN/IPv4/IPv6/UDP/TCP parser
// that returns a verdict (XDP).
//
// Demonstrates: the "check before every access" style the verifier demands
// (each header is checked against data_end before it is read), up to two
// VLAN tags (802.1Q / 802.1ad), IPv4 options (variable IHL), and verdicts:
//   XDP_DROP    truncated or malformed headers, IPv4 fragments' bad IHL,
//               TCP to port 23 (telnet) and UDP to port 9 (discard);
//   XDP_PASS    everything else.
// Why each packet got its verdict is counted in the `reasons` array.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

// One 802.1Q/802.1ad tag as it follows the MAC addresses.
struct vlan_tag {
	__be16 tci;
	__be16 encapsulated_proto;
};

enum reason {
	R_PASS_L4 = 0,		// TCP or UDP parsed and allowed
	R_PASS_OTHER_L3 = 1,	// not IPv4/IPv6 (ARP, ...)
	R_PASS_OTHER_L4 = 2,	// IP but neither TCP nor UDP
	R_DROP_TRUNCATED = 3,	// a header runs past the end of the packet
	R_DROP_BAD_IHL = 4,	// IPv4 header length below 20 bytes
	R_DROP_PORT = 5,	// blocked destination port
	R_VLAN_TAGGED = 6,	// counted in addition: packet carried VLAN tags
	R_COUNT = 8,
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, R_COUNT);
	__type(key, __u32);
	__type(value, __u64);
} reasons SEC(".maps");

static __always_inline int verdict(__u32 why, int action)
{
	__u64 *value = bpf_map_lookup_elem(&reasons, &why);

	if (value)
		__sync_fetch_and_add(value, 1);
	return action;
}

SEC("xdp")
int parse_packet(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	void *cursor;
	__u16 proto;
	__u8 l4;

	if ((void *)(eth + 1) > data_end)
		return verdict(R_DROP_TRUNCATED, XDP_DROP);
	cursor = eth + 1;
	proto = eth->h_proto;

	// A fixed trip count keeps the loop verifiable (clang unrolls it).
#pragma unroll
	for (int i = 0; i < 2; i++) {
		struct vlan_tag *tag = cursor;

		if (proto != bpf_htons(ETH_P_8021Q) && proto != bpf_htons(ETH_P_8021AD))
			break;
		if ((void *)(tag + 1) > data_end)
			return verdict(R_DROP_TRUNCATED, XDP_DROP);
		if (i == 0)
			verdict(R_VLAN_TAGGED, 0);
		proto = tag->encapsulated_proto;
		cursor = tag + 1;
	}

	if (proto == bpf_htons(ETH_P_IP)) {
		struct iphdr *ip = cursor;
		__u32 header_length;

		if ((void *)(ip + 1) > data_end)
			return verdict(R_DROP_TRUNCATED, XDP_DROP);
		header_length = ip->ihl * 4;
		if (header_length < sizeof(*ip))
			return verdict(R_DROP_BAD_IHL, XDP_DROP);
		// ihl is 4 bits, so header_length <= 60: a bounded variable offset.
		if (cursor + header_length > data_end)
			return verdict(R_DROP_TRUNCATED, XDP_DROP);
		cursor += header_length;
		l4 = ip->protocol;
	} else if (proto == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6 = cursor;

		if ((void *)(ip6 + 1) > data_end)
			return verdict(R_DROP_TRUNCATED, XDP_DROP);
		cursor = ip6 + 1;
		l4 = ip6->nexthdr;	// extension headers are not followed
	} else {
		return verdict(R_PASS_OTHER_L3, XDP_PASS);
	}

	if (l4 == IPPROTO_TCP) {
		struct tcphdr *tcp = cursor;

		if ((void *)(tcp + 1) > data_end)
			return verdict(R_DROP_TRUNCATED, XDP_DROP);
		if (tcp->dest == bpf_htons(23))
			return verdict(R_DROP_PORT, XDP_DROP);
		return verdict(R_PASS_L4, XDP_PASS);
	}
	if (l4 == IPPROTO_UDP) {
		struct udphdr *udp = cursor;

		if ((void *)(udp + 1) > data_end)
			return verdict(R_DROP_TRUNCATED, XDP_DROP);
		if (udp->dest == bpf_htons(9))
			return verdict(R_DROP_PORT, XDP_DROP);
		return verdict(R_PASS_L4, XDP_PASS);
	}
	return verdict(R_PASS_OTHER_L4, XDP_PASS);
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
