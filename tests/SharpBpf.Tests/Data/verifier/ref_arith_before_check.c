// SPDX-License-Identifier: GPL-2.0
// Moving into the record before the NULL check.
#include "ref_records.h"
SEC("xdp")
int move_unchecked(struct xdp_md *ctx)
{
	struct sample *rec = bpf_ringbuf_reserve(&samples, sizeof(*rec), 0);
	__u32 *length = &rec->length;
	asm volatile("" : "+r"(length));
	if (!rec)
		return XDP_PASS;
	*length = ctx->rx_queue_index;
	bpf_ringbuf_submit(rec, 0);
	return XDP_PASS;
}
char LICENSE[] SEC("license") = "GPL";
