// SPDX-License-Identifier: GPL-2.0
// Accepted neighbour of R25: callback plus the subprogram it calls need exactly 512 bytes of stack.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct elem {
	struct bpf_timer timer;
	__u64 sum;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct elem);
} timers SEC(".maps");

static __attribute__((noinline)) __u64 fold_scratch(__u64 seed)
{
	volatile __u64 scratch[32];
	__u64 sum = 0;

	for (int i = 0; i < 32; i++)
		scratch[i] = seed + i;
	for (int i = 0; i < 32; i++)
		sum += scratch[i];
	return sum;
}

static int on_fire(void *map, __u32 *key, struct elem *value)
{
	volatile __u64 history[32];

	for (int i = 0; i < 32; i++)
		history[i] = value->sum + i;
	value->sum = fold_scratch(history[31]);
	return 0;
}

SEC("syscall")
int arm_full_stack(void *ctx)
{
	__u32 key = 0;
	struct elem *e = bpf_map_lookup_elem(&timers, &key);
	if (!e)
		return 1;
	if (bpf_timer_init(&e->timer, &timers, 1) || bpf_timer_set_callback(&e->timer, on_fire))
		return 2;
	return bpf_timer_start(&e->timer, 1000, 0) ? 3 : 0;
}

char LICENSE[] SEC("license") = "GPL";
