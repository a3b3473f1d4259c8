// SPDX-License-Identifier: GPL-2.0
// Accepted neighbour of R44: the callback reads its (read-only) key and its value, and looks itself up again.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct elem {
	struct bpf_timer timer;
	__u64 seen_key;
	__u64 same_value;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, struct elem);
} timers SEC(".maps");

static int on_fire(void *map, __u32 *key, struct elem *value)
{
	value->seen_key = *key;
	value->same_value = bpf_map_lookup_elem(map, key) == value;
	return 0;
}

SEC("syscall")
int arm_key_reader(void *ctx)
{
	__u32 key = 7;
	struct elem fresh = {};
	if (bpf_map_update_elem(&timers, &key, &fresh, BPF_NOEXIST))
		return 1;
	struct elem *e = bpf_map_lookup_elem(&timers, &key);
	if (!e)
		return 2;
	if (bpf_timer_init(&e->timer, &timers, 1) || bpf_timer_set_callback(&e->timer, on_fire))
		return 3;
	return bpf_timer_start(&e->timer, 1000, 0) ? 4 : 0;
}

char LICENSE[] SEC("license") = "GPL";
