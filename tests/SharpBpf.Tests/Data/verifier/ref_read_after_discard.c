// SPDX-License-Identifier: GPL-2.0
// The record is read after it was discarded.
#include "ref_records.h"
SEC("xdp")
int read_discarded(struct xdp_md *ctx)
{
	struct sample *rec = bpf_ringbuf_reserve(&samples, sizeof(*rec), 0);
	if (!rec)
		return XDP_PASS;
	rec->queue = ctx->rx_queue_index;
	bpf_ringbuf_discard(rec, 0);
	return rec->queue == 3 ? XDP_DROP : XDP_PASS;
}
char LICENSE[] SEC("license") = "GPL";
