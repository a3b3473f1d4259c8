// SPDX-License-Identifier: GPL-2.0
// Nested bpf_loop: the same outer/inner loop callbacks run from the main program and from a timer callback; a
// flag from a 32-step loop picks a stack slot.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#define CLOCK_MONOTONIC 1
struct elem { struct bpf_timer t; __u32 vals[32]; __u64 total; };
struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 4); __type(key, __u32); __type(value, struct elem); } m SEC(".maps");
struct lctx { struct elem *e; __u64 sum; __u32 outer; };

static int inner(__u32 j, struct lctx *c)
{
	c->sum += c->e->vals[(c->outer + j) & 31];
	return 0;
}
static int outer(__u32 i, struct lctx *c)
{
	c->outer = i;
	bpf_loop(4, inner, c, 0);
	return 0;
}
static int cb(void *map, __u32 *key, struct elem *e)
{
	struct lctx c = { .e = e };
	bpf_loop(8, outer, &c, 0);
	e->total = c.sum;
	return 0;
}

SEC("syscall")
int sum_windows(void *ctx)
{
	__u32 k = 0, idx = 0;
	__u64 buf[4] = {};
	struct elem *e = bpf_map_lookup_elem(&m, &k);
	struct lctx c = {};
	if (!e) return 0;
	c.e = e;
	bpf_loop(8, outer, &c, 0);
	for (int i = 0; i < 32; i++)
		if (e->vals[i] > 3) idx = 1;
	buf[idx] = c.sum;
	e->total = buf[0] + buf[1];
	if (bpf_timer_init(&e->t, &m, CLOCK_MONOTONIC) == 0)
		bpf_timer_set_callback(&e->t, cb);
	bpf_timer_start(&e->t, 1000, 0);
	return 0;
}
char LICENSE[] SEC("license") = "GPL";
