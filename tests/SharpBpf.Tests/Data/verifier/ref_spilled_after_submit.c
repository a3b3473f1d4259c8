// SPDX-License-Identifier: GPL-2.0
// The record is kept in a volatile stack slot; after submitting it, the copy read back from the stack is a number.
#include "ref_records.h"
SEC("xdp")
int reuse_spilled(struct xdp_md *ctx)
{
	struct sample *volatile saved;
	struct sample *rec = bpf_ringbuf_reserve(&samples, sizeof(*rec), 0);
	if (!rec)
		return XDP_PASS;
	saved = rec;
	rec->queue = ctx->rx_queue_index;
	bpf_ringbuf_submit(rec, 0);
	saved->length = 1;
	return XDP_PASS;
}
char LICENSE[] SEC("license") = "GPL";
