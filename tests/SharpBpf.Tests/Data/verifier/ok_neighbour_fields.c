// SPDX-License-Identifier: GPL-2.0
// Accepted neighbour of R42: the fields right before and after the timer may be read and written, by the
// program and by the callback.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct elem {
	__u64 deadline;
	struct bpf_timer timer;
	__u64 fired;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct elem);
} timers SEC(".maps");

static int on_fire(void *map, __u32 *key, struct elem *value)
{
	value->fired += 1;
	value->deadline = 0;
	return 0;
}

SEC("syscall")
int arm_with_neighbours(void *ctx)
{
	__u32 key = 0;
	struct elem *e = bpf_map_lookup_elem(&timers, &key);
	if (!e)
		return 1;
	e->deadline = 1000000;	/* 1 ms */
	e->fired = 100;
	if (bpf_timer_init(&e->timer, &timers, 1) || bpf_timer_set_callback(&e->timer, on_fire))
		return 2;
	return bpf_timer_start(&e->timer, e->deadline, 0) ? 3 : 0;
}

char LICENSE[] SEC("license") = "GPL";
