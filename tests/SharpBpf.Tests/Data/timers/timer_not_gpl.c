// SPDX-License-Identifier: MIT
// R9: the timer helpers are GPL-only; a program under a non-GPL licence is rejected at the first of them.
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

SEC("syscall")
int init_timer(void *ctx)
{
	__u32 key = 0;
	struct elem *e = bpf_map_lookup_elem(&timers, &key);
	if (!e)
		return 1;
	return bpf_timer_init(&e->timer, &timers, 1);
}

char LICENSE[] SEC("license") = "MIT";
