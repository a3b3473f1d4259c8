// SPDX-License-Identifier: GPL-2.0
// R45: a callback whose return value is not known to be 0 (here a random number) is rejected.
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
	value->fired++;
	return bpf_get_prandom_u32();
}

SEC("syscall")
int arm_returns_random(void *ctx)
{
	__u32 key = 0;
	struct elem *e = bpf_map_lookup_elem(&timers, &key);
	if (!e)
		return 0;
	bpf_timer_init(&e->timer, &timers, 1);
	bpf_timer_set_callback(&e->timer, on_fire);
	bpf_timer_start(&e->timer, 1000, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
