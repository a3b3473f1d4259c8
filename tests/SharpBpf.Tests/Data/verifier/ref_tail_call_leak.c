// SPDX-License-Identifier: GPL-2.0
// A tail call never returns: the record reserved before it would leak.
#include "ref_records.h"
struct { __uint(type, BPF_MAP_TYPE_PROG_ARRAY); __uint(max_entries, 4); __type(key, __u32); __type(value, __u32); } next_stage SEC(".maps");
SEC("xdp")
int jump_holding_record(struct xdp_md *ctx)
{
	struct sample *rec = bpf_ringbuf_reserve(&samples, sizeof(*rec), 0);
	if (!rec)
		return XDP_PASS;
	rec->queue = ctx->rx_queue_index;
	bpf_tail_call(ctx, &next_stage, 0);
	bpf_ringbuf_submit(rec, 0);
	return XDP_PASS;
}
char LICENSE[] SEC("license") = "GPL";
