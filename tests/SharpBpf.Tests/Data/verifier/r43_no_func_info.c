// SPDX-License-Identifier: GPL-2.0
// R43: a callback needs BTF func info; build.sh strips .BTF.ext from this object, so the kernel gets none.
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
	return 0;
}

SEC("syscall")
int arm_without_func_info(void *ctx)
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
