// SPDX-License-Identifier: (MIT OR GPL-2.0)
// tail_calls.c — a dispatcher that tail-calls per-protocol handlers through a
// PROG_ARRAY (XDP).
//
// Demonstrates: bpf_tail_call(ctx, &jump_table, index), and libbpf's
// declarative PROG_ARRAY initialization: `.values = { [i] = &prog }` in the
// .maps section makes the loader fill the slots after loading the programs
// (relocations against the map's `values` field name each program).
// A tail call never returns: when it succeeds, the handler's verdict is the
// dispatcher's. When the slot is empty the call falls through and the
// dispatcher passes the packet.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

enum { SLOT_IPV4 = 0, SLOT_IPV6 = 1, SLOT_ARP = 2, SLOT_COUNT = 4 };

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SLOT_COUNT + 1);	// last slot: fall-throughs
	__type(key, __u32);
	__type(value, __u64);
} handled SEC(".maps");

static __always_inline void count(__u32 slot)
{
	__u64 *value = bpf_map_lookup_elem(&handled, &slot);

	if (value)
		__sync_fetch_and_add(value, 1);
}

SEC("xdp")
int handle_ipv4(struct xdp_md *ctx)
{
	count(SLOT_IPV4);
	return XDP_PASS;
}

SEC("xdp")
int handle_ipv6(struct xdp_md *ctx)
{
	count(SLOT_IPV6);
	return XDP_DROP;	// this example network is IPv4-only
}

// Forward declaration so the table can reference the dispatcher's handlers.
struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, SLOT_COUNT);
	__type(key, __u32);
	__array(values, int (void *));
} jump_table SEC(".maps") = {
	.values = {
		[SLOT_IPV4] = (void *)&handle_ipv4,
		[SLOT_IPV6] = (void *)&handle_ipv6,
		// SLOT_ARP is left empty on purpose: its tail call falls through.
	},
};

SEC("xdp")
int dispatch(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	__u32 slot;

	if ((void *)(eth + 1) > data_end)
		return XDP_DROP;
	switch (bpf_ntohs(eth->h_proto)) {
	case ETH_P_IP:
		slot = SLOT_IPV4;
		break;
	case ETH_P_IPV6:
		slot = SLOT_IPV6;
		break;
	case ETH_P_ARP:
		slot = SLOT_ARP;
		break;
	default:
		return XDP_PASS;
	}
	bpf_tail_call(ctx, &jump_table, slot);
	count(SLOT_COUNT);	// reached only when the slot is empty
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
