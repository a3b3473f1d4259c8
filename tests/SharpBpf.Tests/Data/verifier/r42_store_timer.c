// SPDX-License-Identifier: GPL-2.0
// R42: a store that overlaps the timer bytes is rejected (clearing the value by hand, timer included).
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
int reset_elem(void *ctx)
{
	__u32 key = 0;
	struct elem *e = bpf_map_lookup_elem(&timers, &key);
	if (!e)
		return 0;
	__builtin_memset(e, 0, sizeof(*e));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
