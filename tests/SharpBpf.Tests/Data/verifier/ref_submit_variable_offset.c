// SPDX-License-Identifier: GPL-2.0
// Submitting the record moved by a variable amount.
#include "ref_records.h"
SEC("xdp")
int submit_moved(struct xdp_md *ctx)
{
	char *rec = bpf_ringbuf_reserve(&samples, 16, 0);
	if (!rec)
		return XDP_PASS;
	rec[0] = 1;
	bpf_ringbuf_submit(rec + (ctx->rx_queue_index & 1), 0);
	return XDP_PASS;
}
char LICENSE[] SEC("license") = "GPL";
