// SPDX-License-Identifier: GPL-2.0
// Discarded, then submitted: the first release turned the pointer into a number.
#include "ref_records.h"
SEC("xdp")
int discard_then_submit(struct xdp_md *ctx)
{
	struct sample *rec = bpf_ringbuf_reserve(&samples, sizeof(*rec), 0);
	if (!rec)
		return XDP_PASS;
	rec->queue = ctx->rx_queue_index;
	bpf_ringbuf_discard(rec, 0);
	bpf_ringbuf_submit(rec, 0);
	return XDP_PASS;
}
char LICENSE[] SEC("license") = "GPL";
