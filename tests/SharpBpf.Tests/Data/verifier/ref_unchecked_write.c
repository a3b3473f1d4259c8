// SPDX-License-Identifier: GPL-2.0
// The reservation may fail: writing before the NULL check.
#include "ref_records.h"
SEC("xdp")
int write_unchecked(struct xdp_md *ctx)
{
	struct sample *rec = bpf_ringbuf_reserve(&samples, sizeof(*rec), 0);
	rec->queue = ctx->rx_queue_index;
	if (rec)
		bpf_ringbuf_submit(rec, 0);
	return XDP_PASS;
}
char LICENSE[] SEC("license") = "GPL";
