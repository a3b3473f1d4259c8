// SPDX-License-Identifier: GPL-2.0
// A record reserved and filled but never submitted: the kernel refuses the exit that leaks it.
#include "ref_records.h"
SEC("xdp")
int forget_record(struct xdp_md *ctx)
{
	struct sample *rec = bpf_ringbuf_reserve(&samples, sizeof(*rec), 0);
	if (!rec)
		return XDP_PASS;
	rec->queue = ctx->rx_queue_index;
	return XDP_PASS;
}
char LICENSE[] SEC("license") = "GPL";
