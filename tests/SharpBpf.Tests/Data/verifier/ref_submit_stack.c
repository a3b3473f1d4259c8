// SPDX-License-Identifier: GPL-2.0
// Submitting a stack buffer as if it were a record.
#include "ref_records.h"
SEC("xdp")
int submit_stack(struct xdp_md *ctx)
{
	struct sample local = { .queue = ctx->rx_queue_index };
	bpf_ringbuf_submit(&local, 0);
	return XDP_PASS;
}
char LICENSE[] SEC("license") = "GPL";
