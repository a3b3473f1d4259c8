// SPDX-License-Identifier: GPL-2.0
// R46: a kprobe program that only looks up a timer-holding map is rejected ("tracing progs cannot use bpf_timer yet").
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct elem {
	struct bpf_timer timer;
	__u64 hits;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct elem);
} timers SEC(".maps");

SEC("kprobe/do_nanosleep")
int count_sleeps(void *ctx)
{
	__u32 key = 0;
	struct elem *e = bpf_map_lookup_elem(&timers, &key);
	if (e)
		__sync_fetch_and_add(&e->hits, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
