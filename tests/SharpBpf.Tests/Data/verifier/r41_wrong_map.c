// SPDX-License-Identifier: GPL-2.0
// R41: bpf_timer_init's map argument must be the map the timer lives in, not another timer map.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct elem {
	struct bpf_timer timer;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct elem);
} timers SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct elem);
} other_timers SEC(".maps");

SEC("syscall")
int init_other_map(void *ctx)
{
	__u32 key = 0;
	struct elem *e = bpf_map_lookup_elem(&timers, &key);
	if (!e)
		return 0;
	return bpf_timer_init(&e->timer, &other_timers, 1);
}

char LICENSE[] SEC("license") = "GPL";
