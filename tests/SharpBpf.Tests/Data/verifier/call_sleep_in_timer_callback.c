// SPDX-License-Identifier: GPL-2.0
// A syscall program is sleepable, its timer callback is not: bpf_copy_from_user in the callback is refused.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct elem {
	struct bpf_timer timer;
	__u64 user_address;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct elem);
} timers SEC(".maps");

static int on_fire(void *map, __u32 *key, struct elem *value)
{
	__u64 copied = 0;
	bpf_copy_from_user(&copied, sizeof(copied), (void *)value->user_address);
	value->user_address = copied;
	return 0;
}

SEC("syscall")
int arm_copying_callback(void *ctx)
{
	__u32 key = 0;
	struct elem *e = bpf_map_lookup_elem(&timers, &key);
	if (!e)
		return 0;
	bpf_timer_init(&e->timer, &timers, 1);
	bpf_timer_set_callback(&e->timer, on_fire);
	return bpf_timer_start(&e->timer, 1000, 0);
}

char LICENSE[] SEC("license") = "GPL";
