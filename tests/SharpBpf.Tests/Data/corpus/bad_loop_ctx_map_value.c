// SPDX-License-Identifier: GPL-2.0
// Wrong: the bpf_loop context is a map value (the slot counters) instead of the caller's stack; bpf_loop's
// callback_ctx must point to the stack.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define CLOCK_MONOTONIC 1
#define SLOTS 8

struct slot {
	struct bpf_timer timer;
	__u32 index;
	__u32 fired;
	__u64 delay;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SLOTS);
	__type(key, __u32);
	__type(value, struct slot);
} slots SEC(".maps");

/* The loop stops early when the callback returns 1: here after half the slots. */
static int count_until_half(__u32 index, __u32 *seen)
{
	*seen += 1;
	return index + 1 >= SLOTS / 2;
}

SEC("syscall")
int loop_stops_early(void *ctx)
{
	__u32 zero = 0;
	struct slot *s = bpf_map_lookup_elem(&slots, &zero);
	long iterations;

	if (!s)
		return 2;
	iterations = bpf_loop(SLOTS, count_until_half, &s->fired, 0);
	return iterations == SLOTS / 2 ? 0 : 1;
}

char LICENSE[] SEC("license") = "GPL";
