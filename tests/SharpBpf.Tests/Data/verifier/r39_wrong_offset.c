// SPDX-License-Identifier: GPL-2.0
// R39: the timer pointer must point exactly at the bpf_timer field; the value's start (offset 0) is not it.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct elem {
	__u64 deadline;
	struct bpf_timer timer;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct elem);
} timers SEC(".maps");

SEC("syscall")
int init_value_start(void *ctx)
{
	__u32 key = 0;
	struct elem *e = bpf_map_lookup_elem(&timers, &key);
	if (!e)
		return 0;
	return bpf_timer_init((struct bpf_timer *)e, &timers, 1);
}

char LICENSE[] SEC("license") = "GPL";
