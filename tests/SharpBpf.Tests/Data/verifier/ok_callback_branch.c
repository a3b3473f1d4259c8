// SPDX-License-Identifier: GPL-2.0
// Accepted neighbour of R22: a callback that returns 0 on every path after a branch (re-arming itself until it
// has fired three times).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct elem {
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
	if (++value->fired >= 3)
		return 0;
	bpf_timer_start(&value->timer, 1000, 0);
	return 0;
}

SEC("syscall")
int arm_three_times(void *ctx)
{
	__u32 key = 0;
	struct elem *e = bpf_map_lookup_elem(&timers, &key);
	if (!e)
		return 1;
	if (bpf_timer_init(&e->timer, &timers, 1) || bpf_timer_set_callback(&e->timer, on_fire))
		return 2;
	return bpf_timer_start(&e->timer, 1000, 0) ? 3 : 0;
}

char LICENSE[] SEC("license") = "GPL";
