// SPDX-License-Identifier: GPL-2.0
// Array lookups with constant keys inside the array are never NULL: the timer is used without a NULL check,
// once for each of two constant keys chosen in a loop.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define CLOCK_MONOTONIC 1

struct tick {
	struct bpf_timer timer;
	__u64 count;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, struct tick);
} ticks SEC(".maps");

static int on_tick(void *map, __u32 *key, struct tick *t)
{
	t->count++;
	return 0;
}

SEC("syscall")
int arm_constant_slots(void *ctx)
{
	__u32 first = 0, second = 1;
	struct tick *a = bpf_map_lookup_elem(&ticks, &first);
	struct tick *b = bpf_map_lookup_elem(&ticks, &second);

	bpf_timer_init(&a->timer, &ticks, CLOCK_MONOTONIC);
	bpf_timer_set_callback(&a->timer, on_tick);
	bpf_timer_init(&b->timer, &ticks, CLOCK_MONOTONIC);
	bpf_timer_set_callback(&b->timer, on_tick);
	for (int round = 0; round < 2; round++) {
		struct tick *t = round ? b : a;

		t->count += round;
		bpf_timer_start(&t->timer, 1000000 * (round + 1), 0);
	}
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
