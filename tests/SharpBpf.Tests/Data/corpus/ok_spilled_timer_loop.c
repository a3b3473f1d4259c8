// SPDX-License-Identifier: GPL-2.0
// A map value pointer kept on the stack across a counted loop (the compiler spills it: the loop calls helpers),
// then used for bpf_timer_cancel after the loop: the pointer must come back with its constant offset.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define CLOCK_MONOTONIC 1

struct slot {
	__u64 hits;
	struct bpf_timer timer;
	__u64 last;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, struct slot);
} slots SEC(".maps");

static int expire(void *map, __u32 *key, struct slot *s)
{
	s->hits++;
	return 0;
}

SEC("syscall")
int rearm_after_scan(void *ctx)
{
	__u32 zero = 0;
	struct slot *first = bpf_map_lookup_elem(&slots, &zero);
	__u64 stamp = 0, misses = 0, most = 0;

	if (!first)
		return 1;
	bpf_timer_init(&first->timer, &slots, CLOCK_MONOTONIC);
	bpf_timer_set_callback(&first->timer, expire);
	/* Four values stay live across the loop's helper calls besides the loop counter: the callee-saved registers
	 * R6-R9 cannot hold them all, so the compiler spills the map value pointer to the stack. */
#pragma clang loop unroll(disable)
	for (__u32 i = 1; i < 4; i++) {
		__u32 key = i;
		struct slot *s = bpf_map_lookup_elem(&slots, &key);

		if (!s) {
			misses++;
			continue;
		}
		stamp += s->hits + (bpf_ktime_get_ns() != 0);
		if (s->hits > most)
			most = s->hits;
	}
	first->last = stamp + misses * 1000 + most;
	bpf_timer_cancel(&first->timer);
	return bpf_timer_start(&first->timer, 1000000, 0) ? 2 : 0;
}

char LICENSE[] SEC("license") = "GPL";
