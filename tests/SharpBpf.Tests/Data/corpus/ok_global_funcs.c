// SPDX-License-Identifier: GPL-2.0
// Global (non-static) functions as libraries write them: a nullable struct pointer argument checked inside, an
// output pointer to the caller's stack, a context argument, scalar arguments checked against bounds; called from
// the main programs and from a timer callback. The timer itself lives in a map the global function looks up.
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

#define CLOCK_MONOTONIC 1

struct stats {
	__u64 calls;
	__u64 sum;
	__u32 max;
	__u32 last;
};

struct ticker {
	struct bpf_timer timer;
	struct stats st;
	__u32 rounds;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, struct ticker);
} tickers SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, struct stats);
} summary SEC(".maps");

/* A nullable pointer to plain memory: the kernel verifies this once, with st possibly NULL. */
__noinline int stats_add(struct stats *st, __u32 sample)
{
	if (!st)
		return -1;
	st->calls++;
	st->sum += sample;
	if (sample > st->max)
		st->max = sample;
	st->last = sample;
	return 0;
}

/* An output argument: the caller passes its stack. */
__noinline int clamp_into(__u32 value, __u32 limit, __u32 *out)
{
	if (!out)
		return -1;
	*out = value > limit ? limit : value;
	return value > limit;
}

/* A global function reading the context it is given. */
__noinline int skb_len_class(struct __sk_buff *skb)
{
	if (!skb)
		return 0;
	return skb->len > 100 ? 2 : skb->len > 40 ? 1 : 0;
}

static int on_tick(void *map, __u32 *key, struct ticker *t)
{
	__u32 clamped = 0;

	/* The value's embedded stats block is plain memory to the global function: no timer inside it. */
	stats_add(&t->st, t->rounds * 10);
	clamp_into(t->rounds * 100, 150, &clamped);
	stats_add(bpf_map_lookup_elem(&summary, key), clamped);
	if (++t->rounds < 3)
		bpf_timer_start(&t->timer, 100000, 0);
	return 0;
}

__noinline int arm_ticker(__u32 index)
{
	struct ticker *t = bpf_map_lookup_elem(&tickers, &index);

	if (!t)
		return -1;
	if (bpf_timer_init(&t->timer, &tickers, CLOCK_MONOTONIC) || bpf_timer_set_callback(&t->timer, on_tick))
		return -2;
	return bpf_timer_start(&t->timer, 100000, 0);
}

SEC("syscall")
int start_tickers(void *ctx)
{
	__u32 zero = 0, out = 0;
	int over = clamp_into(500, 200, &out);

	stats_add(bpf_map_lookup_elem(&summary, &zero), out + over);
	stats_add(0, 1);
	return arm_ticker(0) || arm_ticker(1) ? 1 : 0;
}

SEC("tc")
int classify_len(struct __sk_buff *skb)
{
	__u32 key = 3;
	int cls = skb_len_class(skb);

	stats_add(bpf_map_lookup_elem(&summary, &key), cls);
	return cls == 2 ? TC_ACT_SHOT : TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
