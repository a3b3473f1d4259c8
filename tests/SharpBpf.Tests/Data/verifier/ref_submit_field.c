// SPDX-License-Identifier: GPL-2.0
// Submitting a pointer to the record's second field instead of the record.
#include "ref_records.h"
SEC("xdp")
int submit_second_field(struct xdp_md *ctx)
{
	struct sample *rec = bpf_ringbuf_reserve(&samples, sizeof(*rec), 0);
	if (!rec)
		return XDP_PASS;
	rec->queue = ctx->rx_queue_index;
	bpf_ringbuf_submit(&rec->length, 0);
	return XDP_PASS;
}
char LICENSE[] SEC("license") = "GPL";
