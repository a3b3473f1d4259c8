// SPDX-License-Identifier: GPL-2.0
// R37: the timer argument must point into a map value; a bpf_timer on the stack is rejected.
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
int init_stack_timer(void *ctx)
{
	struct bpf_timer timer = {};

	return bpf_timer_init(&timer, &timers, 1);
}

char LICENSE[] SEC("license") = "GPL";
