// SPDX-License-Identifier: GPL-2.0
// ratio.c — the workloads of the same-run ratio benchmark (bench/README.md, "Ratio to Linux").
//
// Every SEC("xdp") program whose name does not start with "setup_" is one workload: the bench runs it in
// SharpBpf (JIT and interpreter) and in the kernel (BPF_PROG_TEST_RUN with repeat) on the same object and the
// same 64-byte UDP frame, and reports ns per run. Each returns XDP_PASS only when everything it did succeeded,
// so the bench can refuse a figure measured on a failing path. "setup_*" programs run once, before timing.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <linux/in.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define CLOCK_MONOTONIC 1
#define ENTRIES 256
#define TIMERS 64
#define SECOND_NS 1000000000ULL

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, ENTRIES);
	__type(key, __u32);
	__type(value, __u64);
} array_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, ENTRIES);
	__type(key, __u32);
	__type(value, __u64);
} percpu_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, ENTRIES);
	__type(key, __u32);
	__type(value, __u64);
} hash_map SEC(".maps");

// Room for the insert/delete churn: the keys it inserts are never the filled ones.
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 2 * ENTRIES);
	__type(key, __u32);
	__type(value, __u64);
} churn_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, ENTRIES);
	__type(key, __u32);
	__type(value, __u64);
} lru_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 64 << 20);
} ring SEC(".maps");

struct timer_elem {
	struct bpf_timer timer;
	__u64 fired;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, TIMERS);
	__type(key, __u32);
	__type(value, struct timer_elem);
} timer_map SEC(".maps");

int tail_target(struct xdp_md *ctx);

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__array(values, int (void *));
} tail_programs SEC(".maps") = {
	.values = { [0] = (void *)&tail_target },
};

// Results land here so no lookup is dead code; counters the workloads keep between runs.
__u64 checksum = 0;
__u32 churn_base = 0;
__u32 lru_base = 0;
__u32 tail_depth = 0;

// A multiplier coprime with 256 visits every key once, in an order that is not the memory's.
#define SCATTER(i) (((i) * 167u + 13u) % ENTRIES)

SEC("xdp")
int empty(struct xdp_md *ctx)
{
	return XDP_PASS;
}

SEC("xdp")
int packet_parse(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	if ((void *)(eth + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_DROP;
	struct iphdr *ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > data_end || ip->ihl != 5 || ip->protocol != IPPROTO_UDP)
		return XDP_DROP;
	struct udphdr *udp = (void *)(ip + 1);
	if ((void *)(udp + 1) > data_end)
		return XDP_DROP;
	if (udp->dest == bpf_htons(53) || ip->ttl < 2)
		return XDP_DROP;
	return bpf_ntohs(udp->source) + bpf_ntohl(ip->saddr) != 0 ? XDP_PASS : XDP_DROP;
}

SEC("xdp")
int array_lookup(struct xdp_md *ctx)
{
	__u64 sum = 0;
#pragma clang loop unroll(disable)
	for (__u32 i = 0; i < ENTRIES; i++) {
		__u32 key = SCATTER(i);
		__u64 *value = bpf_map_lookup_elem(&array_map, &key);
		if (!value)
			return XDP_ABORTED;
		sum += *value;
	}
	checksum = sum;
	return XDP_PASS;
}

SEC("xdp")
int percpu_array(struct xdp_md *ctx)
{
#pragma clang loop unroll(disable)
	for (__u32 i = 0; i < ENTRIES; i++) {
		__u32 key = SCATTER(i);
		__u64 *value = bpf_map_lookup_elem(&percpu_map, &key);
		if (!value)
			return XDP_ABORTED;
		*value += 1;
	}
	return XDP_PASS;
}

SEC("xdp")
int setup_hash(struct xdp_md *ctx)
{
#pragma clang loop unroll(disable)
	for (__u32 i = 0; i < ENTRIES; i++) {
		__u32 key = i;
		__u64 value = i;
		if (bpf_map_update_elem(&hash_map, &key, &value, BPF_ANY) != 0)
			return XDP_ABORTED;
	}
	return XDP_PASS;
}

SEC("xdp")
int hash_lookup(struct xdp_md *ctx)
{
	__u64 sum = 0;
#pragma clang loop unroll(disable)
	for (__u32 i = 0; i < ENTRIES; i++) {
		__u32 key = SCATTER(i);
		__u64 *value = bpf_map_lookup_elem(&hash_map, &key);
		if (!value)
			return XDP_ABORTED;
		sum += *value;
	}
	checksum = sum;
	return XDP_PASS;
}

SEC("xdp")
int hash_update(struct xdp_md *ctx)
{
#pragma clang loop unroll(disable)
	for (__u32 i = 0; i < ENTRIES; i++) {
		__u32 key = SCATTER(i);
		__u64 value = i;
		if (bpf_map_update_elem(&hash_map, &key, &value, BPF_ANY) != 0)
			return XDP_ABORTED;
	}
	return XDP_PASS;
}

// 64 inserts of fresh keys (BPF_NOEXIST) and 64 deletes of them: the allocation and free paths.
SEC("xdp")
int hash_insert_delete(struct xdp_md *ctx)
{
	__u32 base = churn_base;
	churn_base = base + 64;
#pragma clang loop unroll(disable)
	for (__u32 i = 0; i < 64; i++) {
		__u32 key = base + i;
		__u64 value = i;
		if (bpf_map_update_elem(&churn_map, &key, &value, BPF_NOEXIST) != 0)
			return XDP_ABORTED;
	}
#pragma clang loop unroll(disable)
	for (__u32 i = 0; i < 64; i++) {
		__u32 key = base + i;
		if (bpf_map_delete_elem(&churn_map, &key) != 0)
			return XDP_DROP;
	}
	return XDP_PASS;
}

// 64 fresh keys into a full 256-entry LRU (evictions), then 64 deletes of half of them.
SEC("xdp")
int lru_update(struct xdp_md *ctx)
{
	__u32 base = lru_base;
	lru_base = base + 64;
#pragma clang loop unroll(disable)
	for (__u32 i = 0; i < 64; i++) {
		__u32 key = base + i;
		__u64 value = i;
		if (bpf_map_update_elem(&lru_map, &key, &value, BPF_ANY) != 0)
			return XDP_ABORTED;
	}
#pragma clang loop unroll(disable)
	for (__u32 i = 0; i < 64; i += 2) {
		__u32 key = base + i;
		bpf_map_delete_elem(&lru_map, &key);
	}
	return XDP_PASS;
}

struct sample {
	__u64 sequence;
	__u64 value;
};

SEC("xdp")
int ringbuf_output(struct xdp_md *ctx)
{
#pragma clang loop unroll(disable)
	for (__u32 i = 0; i < 8; i++) {
		struct sample sample = { .sequence = i, .value = 42 };
		if (bpf_ringbuf_output(&ring, &sample, sizeof(sample), BPF_RB_NO_WAKEUP) != 0)
			return XDP_DROP;
	}
	return XDP_PASS;
}

struct loop_state {
	__u64 sum;
};

static long add_index(__u32 index, void *context)
{
	struct loop_state *state = context;
	state->sum += index;
	return 0;
}

SEC("xdp")
int loop_256(struct xdp_md *ctx)
{
	struct loop_state state = { 0 };
	if (bpf_loop(ENTRIES, add_index, &state, 0) != ENTRIES)
		return XDP_DROP;
	checksum = state.sum;
	return XDP_PASS;
}

static long sum_element(void *map, __u32 *key, __u64 *value, void *context)
{
	struct loop_state *state = context;
	state->sum += *value + *key;
	return 0;
}

// Callback-heavy: 256 callbacks, each reading its element and the stack context of the caller.
SEC("xdp")
int for_each_256(struct xdp_md *ctx)
{
	struct loop_state state = { 0 };
	if (bpf_for_each_map_elem(&array_map, sum_element, &state, 0) != ENTRIES)
		return XDP_DROP;
	checksum = state.sum;
	return XDP_PASS;
}

SEC("xdp")
int tail_target(struct xdp_md *ctx)
{
	__u32 depth = tail_depth;
	tail_depth = depth + 1;
	if (depth < 31)
		bpf_tail_call(ctx, &tail_programs, 0);
	return depth == 31 ? XDP_PASS : XDP_DROP;
}

// 32 tail calls per run.
SEC("xdp")
int tail_calls(struct xdp_md *ctx)
{
	tail_depth = 0;
	bpf_tail_call(ctx, &tail_programs, 0);
	return XDP_DROP;
}

static int count_fire(void *map, __u32 *key, struct timer_elem *elem)
{
	elem->fired++;
	return 0;
}

SEC("xdp")
int setup_timers(struct xdp_md *ctx)
{
#pragma clang loop unroll(disable)
	for (__u32 i = 0; i < TIMERS; i++) {
		__u32 key = i;
		struct timer_elem *elem = bpf_map_lookup_elem(&timer_map, &key);
		if (!elem)
			return XDP_ABORTED;
		if (bpf_timer_init(&elem->timer, &timer_map, CLOCK_MONOTONIC) != 0)
			return XDP_DROP;
		if (bpf_timer_set_callback(&elem->timer, count_fire) != 0)
			return XDP_DROP;
	}
	return XDP_PASS;
}

// 64 bpf_timer_start (re-arming armed timers 1 s ahead: they never fire while measured).
SEC("xdp")
int timer_start_64(struct xdp_md *ctx)
{
#pragma clang loop unroll(disable)
	for (__u32 i = 0; i < TIMERS; i++) {
		__u32 key = i;
		struct timer_elem *elem = bpf_map_lookup_elem(&timer_map, &key);
		if (!elem)
			return XDP_ABORTED;
		if (bpf_timer_start(&elem->timer, SECOND_NS, 0) != 0)
			return XDP_DROP;
	}
	return XDP_PASS;
}

// 16 rounds of set_callback + start + cancel on one timer (cancel unregisters the callback, so it is set again).
SEC("xdp")
int timer_arm_cancel(struct xdp_md *ctx)
{
	__u32 key = 0;
	struct timer_elem *elem = bpf_map_lookup_elem(&timer_map, &key);
	if (!elem)
		return XDP_ABORTED;
#pragma clang loop unroll(disable)
	for (__u32 i = 0; i < 16; i++) {
		bpf_timer_set_callback(&elem->timer, count_fire);
		if (bpf_timer_start(&elem->timer, SECOND_NS, 0) != 0)
			return XDP_DROP;
		if (bpf_timer_cancel(&elem->timer) != 1)
			return XDP_DROP;
	}
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
