// SPDX-License-Identifier: GPL-2.0
// R25: the callback is its own root for the 512-byte stack limit; with the subprogram it calls it needs 576.
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

// Fills a 256-byte scratch buffer and folds it: 288 bytes of stack once rounded.
static __attribute__((noinline)) __u64 fold_scratch(__u64 seed)
{
	volatile __u64 scratch[36];
	__u64 sum = 0;

	for (int i = 0; i < 36; i++)
		scratch[i] = seed + i;
	for (int i = 0; i < 36; i++)
		sum += scratch[i];
	return sum;
}

static int on_fire(void *map, __u32 *key, struct elem *value)
{
	volatile __u64 history[36];

	for (int i = 0; i < 36; i++)
		history[i] = value->sum + i;
	value->sum = fold_scratch(history[35]);
	return 0;
}

SEC("syscall")
int arm_deep_callback(void *ctx)
{
	__u32 key = 0;
	struct elem *e = bpf_map_lookup_elem(&timers, &key);
	if (!e)
		return 0;
	bpf_timer_init(&e->timer, &timers, 1);
	bpf_timer_set_callback(&e->timer, on_fire);
	bpf_timer_start(&e->timer, 1000, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
