// SPDX-License-Identifier: GPL-2.0
// Global variables: counters in .bss and .data, configuration in .rodata (volatile const, set before load by
// users), read by the main program and by the timer callback.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define CLOCK_MONOTONIC 1

volatile const __u64 period_ns = 150000;
volatile const __u32 max_ticks = 3;
volatile const char tag[8] = "tick";
const __u32 weights[4] = { 1, 2, 4, 8 };

__u64 ticks;              /* .bss */
__u64 armed_total = 100;  /* .data */
__u32 last_weight;
char last_tag[8];

struct ticker {
	struct bpf_timer timer;
	__u32 index;
	__u32 ticks;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, struct ticker);
} tickers SEC(".maps");

static int on_tick(void *map, __u32 *key, struct ticker *t)
{
	__sync_fetch_and_add(&ticks, 1);
	t->ticks++;
	last_weight = weights[*key & 3];
	for (int i = 0; i < 8; i++)
		last_tag[i] = tag[i];
	if (t->ticks < max_ticks)
		bpf_timer_start(&t->timer, period_ns, 0);
	return 0;
}

SEC("syscall")
int start_tickers(void *ctx)
{
	for (__u32 i = 0; i < 2; i++) {
		__u32 key = i;
		struct ticker *t = bpf_map_lookup_elem(&tickers, &key);

		if (!t)
			return 1;
		t->index = i;
		if (bpf_timer_init(&t->timer, &tickers, CLOCK_MONOTONIC) || bpf_timer_set_callback(&t->timer, on_tick))
			return 2;
		if (bpf_timer_start(&t->timer, period_ns * (i + 1), 0))
			return 3;
		armed_total++;
	}
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
