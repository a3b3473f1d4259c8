// SPDX-License-Identifier: GPL-2.0
// R44: the callback's key argument is read-only; writing through it is rejected.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct elem {
	struct bpf_timer timer;
	__u64 fired;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, struct elem);
} timers SEC(".maps");

static int on_fire(void *map, __u32 *key, struct elem *value)
{
	value->fired++;
	*key = 0;	// "forget" the flow: the key bytes belong to the map
	return 0;
}

SEC("syscall")
int arm_key_writer(void *ctx)
{
	__u32 key = 7;
	struct elem fresh = {};
	bpf_map_update_elem(&timers, &key, &fresh, BPF_NOEXIST);
	struct elem *e = bpf_map_lookup_elem(&timers, &key);
	if (!e)
		return 0;
	bpf_timer_init(&e->timer, &timers, 1);
	bpf_timer_set_callback(&e->timer, on_fire);
	bpf_timer_start(&e->timer, 1000, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
