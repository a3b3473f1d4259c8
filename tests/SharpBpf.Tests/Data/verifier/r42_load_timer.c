// SPDX-License-Identifier: GPL-2.0
// R42: a load that overlaps the timer bytes is rejected (peeking at the opaque timer to see if it is set).
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

SEC("syscall")
int peek_timer(void *ctx)
{
	__u32 key = 0;
	struct elem *e = bpf_map_lookup_elem(&timers, &key);
	if (!e)
		return 0;
	return *(volatile __u64 *)&e->timer != 0;
}

char LICENSE[] SEC("license") = "GPL";
