// SPDX-License-Identifier: GPL-2.0
// A chain of timers: each callback creates the next element and arms its timer through the callback's own map
// argument (not the map's name), and the main program arms every existing element from bpf_for_each_map_elem,
// again with the map the iteration hands the callback.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#define CLOCK_MONOTONIC 1
struct elem { struct bpf_timer t; __u64 n; };
struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 8); __type(key, __u32); __type(value, struct elem); } m SEC(".maps");

static int fire(void *map, __u32 *key, struct elem *e)
{
	__u32 next = *key + 1;
	struct elem fresh = {}, *n;
	e->n++;
	if (next > 3)
		return 0;
	bpf_map_update_elem(map, &next, &fresh, BPF_NOEXIST);
	n = bpf_map_lookup_elem(map, &next);
	if (!n)
		return 0;
	/* the callback's own map argument as the timer's map */
	if (bpf_timer_init(&n->t, map, CLOCK_MONOTONIC) == 0) {
		bpf_timer_set_callback(&n->t, fire);
		bpf_timer_start(&n->t, 1000000, 0);
	}
	return 0;
}

static int arm_each(void *map, __u32 *key, struct elem *e, void *ctx)
{
	if (bpf_timer_init(&e->t, map, CLOCK_MONOTONIC) == 0)
		bpf_timer_set_callback(&e->t, fire);
	/* Long enough that no callback runs (and adds elements) while the walk is still going. */
	bpf_timer_start(&e->t, 10000000, 0);
	return 0;
}

SEC("syscall")
int start_chain(void *ctx)
{
	__u32 k = 0;
	struct elem fresh = {};
	bpf_map_update_elem(&m, &k, &fresh, BPF_ANY);
	k = 10;
	bpf_map_update_elem(&m, &k, &fresh, BPF_ANY);
	bpf_for_each_map_elem(&m, arm_each, 0, 0);
	return 0;
}
char LICENSE[] SEC("license") = "GPL";
