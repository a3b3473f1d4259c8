// SPDX-License-Identifier: GPL-2.0
// conntrack_timers.c — an XDP connection tracker whose per-flow bpf_timer
// expires idle flows.
//
// Demonstrates the garbage-collection use case that motivated kernel timers:
// each flow's value in an LRU_HASH holds a struct bpf_timer. The first packet
// of a flow creates the entry, initializes the timer on CLOCK_MONOTONIC and
// arms it for `idle_timeout_ns`; every later packet re-arms it (start on an
// armed timer replaces the expiry). When a flow stays idle that long, the
// callback deletes its own element (allowed, and it frees the timer). The LRU
// map also evicts the least recently used flows when it is full; eviction
// frees their timers without running the callback.
// Timer helpers are GPL-only, hence the license. Every packet is passed.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define CLOCK_MONOTONIC 1

struct flow_key {
	__be32 src_addr;
	__be32 dst_addr;
	__be16 src_port;
	__be16 dst_port;
	__u8 protocol;
	__u8 pad[3];	// explicit, always zero
};

struct flow {
	struct bpf_timer idle_timer;	// 16 opaque bytes; reads as zero from user space
	__u64 packets;
	__u64 bytes;
	__u64 last_seen_ns;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, struct flow_key);
	__type(value, struct flow);
} flows SEC(".maps");

enum { STAT_CREATED = 0, STAT_EXPIRED = 1, STAT_TIMER_ERRORS = 2, STAT_COUNT = 4 };

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, STAT_COUNT);
	__type(key, __u32);
	__type(value, __u64);
} stats SEC(".maps");

// Short so the example shows expiry quickly (real trackers use minutes);
// a loader may patch it before load, as it lives in .rodata.
const volatile __u64 idle_timeout_ns = 1ULL * 1000 * 1000 * 1000;	// 1 s

static __always_inline void count(__u32 slot)
{
	__u64 *value = bpf_map_lookup_elem(&stats, &slot);

	if (value)
		__sync_fetch_and_add(value, 1);
}

// Runs in softirq context when a flow has been idle for idle_timeout_ns.
// map and key are the flow's own; the callback must return 0.
static int expire_flow(void *map, struct flow_key *key, struct flow *flow)
{
	bpf_map_delete_elem(map, key);
	count(STAT_EXPIRED);
	return 0;
}

static __always_inline int parse_flow(struct xdp_md *ctx, struct flow_key *key)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	struct udphdr *ports;

	if ((void *)(ip + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP) || ip->ihl < 5)
		return -1;
	key->src_addr = ip->saddr;
	key->dst_addr = ip->daddr;
	key->protocol = ip->protocol;
	ports = (void *)ip + ip->ihl * 4;
	if ((ip->protocol == IPPROTO_TCP || ip->protocol == IPPROTO_UDP) &&
	    (void *)(ports + 1) <= data_end) {
		key->src_port = ports->source;
		key->dst_port = ports->dest;
	}
	return 0;
}

SEC("xdp")
int track_connections(struct xdp_md *ctx)
{
	struct flow_key key;
	struct flow *flow;
	__u64 now = bpf_ktime_get_ns();

	__builtin_memset(&key, 0, sizeof(key));
	if (parse_flow(ctx, &key))
		return XDP_PASS;

	flow = bpf_map_lookup_elem(&flows, &key);
	if (!flow) {
		struct flow fresh = {};

		// A zeroed value carries an uninitialized timer.
		if (bpf_map_update_elem(&flows, &key, &fresh, BPF_NOEXIST))
			return XDP_PASS;	// a racing CPU created it: count next packet
		flow = bpf_map_lookup_elem(&flows, &key);
		if (!flow)
			return XDP_PASS;
		if (bpf_timer_init(&flow->idle_timer, &flows, CLOCK_MONOTONIC) ||
		    bpf_timer_set_callback(&flow->idle_timer, expire_flow)) {
			// -EPERM here means user space holds no reference to the map.
			count(STAT_TIMER_ERRORS);
			return XDP_PASS;
		}
		count(STAT_CREATED);
	}

	__sync_fetch_and_add(&flow->packets, 1);
	__sync_fetch_and_add(&flow->bytes, ctx->data_end - ctx->data);
	flow->last_seen_ns = now;
	// Push the expiry out again: the flow is alive.
	if (bpf_timer_start(&flow->idle_timer, idle_timeout_ns, 0))
		count(STAT_TIMER_ERRORS);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
