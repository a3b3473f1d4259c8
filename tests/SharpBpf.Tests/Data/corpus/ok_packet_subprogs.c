// SPDX-License-Identifier: GPL-2.0
// Packet parsing split into functions: a static function gets the packet pointers and bounds-checks them
// itself, a global function gets the XDP context and reads data/data_end from it.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} out SEC(".maps");

static __noinline int parse_ip(void *data, void *end, __u32 *proto)
{
	struct iphdr *ip = data + sizeof(struct ethhdr);

	if ((void *)(ip + 1) > end)
		return -1;
	*proto = ip->protocol;
	return ip->ihl;
}

__noinline int ether_type(struct xdp_md *ctx)
{
	void *data, *end;
	struct ethhdr *eth;

	if (!ctx)
		return 0;
	data = (void *)(long)ctx->data;
	end = (void *)(long)ctx->data_end;
	eth = data;
	if ((void *)(eth + 1) > end)
		return 0;
	return bpf_ntohs(eth->h_proto);
}

SEC("xdp")
int classify_packet(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	__u32 proto = 0, key;
	__u64 *o;
	int ihl = parse_ip(data, end, &proto);
	int type = ether_type(ctx);

	key = type == ETH_P_IP ? 0 : type == ETH_P_IPV6 ? 1 : type == ETH_P_ARP ? 2 : 3;
	o = bpf_map_lookup_elem(&out, &key);
	if (o)
		*o += ihl + proto;
	return ihl < 0 ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
