// SPDX-License-Identifier: (MIT OR GPL-2.0)
// flow_table.c — per-flow packet and byte counters in a HASH map keyed by the
// 5-tuple (XDP, IPv4 and IPv6).
//
// Demonstrates: a struct key (zeroed first, so padding bytes never make two
// equal flows look different), lookup-then-insert with BPF_NOEXIST, and
// atomic updates of a shared value. Every packet is passed.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

// IPv4 addresses sit in the first 4 bytes of the 16-byte fields.
struct flow_key {
	__u8 src_addr[16];
	__u8 dst_addr[16];
	__be16 src_port;	// 0 for protocols without ports
	__be16 dst_port;
	__u8 protocol;
	__u8 ip_version;	// 4 or 6
	__u16 pad;		// explicit, always zero
};

struct flow_stats {
	__u64 packets;
	__u64 bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, struct flow_key);
	__type(value, struct flow_stats);
} flows SEC(".maps");

SEC("xdp")
int track_flows(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct flow_key key;
	struct flow_stats *stats;
	void *l4;

	__builtin_memset(&key, 0, sizeof(key));
	if ((void *)(eth + 1) > data_end)
		return XDP_PASS;

	if (eth->h_proto == bpf_htons(ETH_P_IP)) {
		struct iphdr *ip = (void *)(eth + 1);

		if ((void *)(ip + 1) > data_end || ip->ihl < 5)
			return XDP_PASS;
		__builtin_memcpy(key.src_addr, &ip->saddr, 4);
		__builtin_memcpy(key.dst_addr, &ip->daddr, 4);
		key.protocol = ip->protocol;
		key.ip_version = 4;
		l4 = (void *)ip + ip->ihl * 4;
	} else if (eth->h_proto == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6 = (void *)(eth + 1);

		if ((void *)(ip6 + 1) > data_end)
			return XDP_PASS;
		__builtin_memcpy(key.src_addr, &ip6->saddr, 16);
		__builtin_memcpy(key.dst_addr, &ip6->daddr, 16);
		key.protocol = ip6->nexthdr;
		key.ip_version = 6;
		l4 = ip6 + 1;
	} else {
		return XDP_PASS;
	}

	// TCP and UDP both start with source and destination port.
	if (key.protocol == IPPROTO_TCP || key.protocol == IPPROTO_UDP) {
		struct udphdr *ports = l4;

		if ((void *)(ports + 1) <= data_end) {
			key.src_port = ports->source;
			key.dst_port = ports->dest;
		}
	}

	stats = bpf_map_lookup_elem(&flows, &key);
	if (!stats) {
		struct flow_stats fresh = {};

		// NOEXIST: if another CPU inserted the flow meanwhile, keep its entry.
		bpf_map_update_elem(&flows, &key, &fresh, BPF_NOEXIST);
		stats = bpf_map_lookup_elem(&flows, &key);
		if (!stats)
			return XDP_PASS;	// table full
	}
	__sync_fetch_and_add(&stats->packets, 1);
	__sync_fetch_and_add(&stats->bytes, (__u64)(data_end - data));
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
