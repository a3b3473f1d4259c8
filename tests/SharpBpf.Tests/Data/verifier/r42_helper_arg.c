// SPDX-License-Identifier: GPL-2.0
// R42: a helper memory argument may not cover the timer bytes: copying one timer-map value into another
// map by passing the value pointer to bpf_map_update_elem is rejected.
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

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, struct elem);
} backup SEC(".maps");

SEC("syscall")
int copy_elem(void *ctx)
{
	__u32 key = 0;
	struct elem *e = bpf_map_lookup_elem(&timers, &key);
	if (!e)
		return 0;
	return bpf_map_update_elem(&backup, &key, e, BPF_ANY);
}

char LICENSE[] SEC("license") = "GPL";
