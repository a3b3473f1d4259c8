// SPDX-License-Identifier: GPL-2.0
// An 8-byte record written at bytes 8..11.
#include "ref_records.h"
SEC("xdp")
int write_past_end(struct xdp_md *ctx)
{
	__u32 *rec = bpf_ringbuf_reserve(&samples, 8, 0);
	if (!rec)
		return XDP_PASS;
	rec[2] = ctx->rx_queue_index;
	bpf_ringbuf_submit(rec, 0);
	return XDP_PASS;
}
char LICENSE[] SEC("license") = "GPL";
