// SPDX-License-Identifier: GPL-2.0
// A timer callback reserves a record and forgets it.
#include "ref_records.h"
#define CLOCK_MONOTONIC 1
struct slot { struct bpf_timer timer; };
struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 1); __type(key, __u32); __type(value, struct slot); } slots SEC(".maps");
static int report_later(void *map, __u32 *key, struct slot *value)
{
	struct sample *rec = bpf_ringbuf_reserve(&samples, sizeof(*rec), 0);
	if (rec)
		rec->queue = *key;
	return 0;
}
SEC("xdp")
int arm_reporter(struct xdp_md *ctx)
{
	__u32 key = 0;
	struct slot *s = bpf_map_lookup_elem(&slots, &key);
	if (!s)
		return XDP_PASS;
	bpf_timer_init(&s->timer, &slots, CLOCK_MONOTONIC);
	bpf_timer_set_callback(&s->timer, report_later);
	bpf_timer_start(&s->timer, 1000, 0);
	return XDP_PASS;
}
char LICENSE[] SEC("license") = "GPL";
