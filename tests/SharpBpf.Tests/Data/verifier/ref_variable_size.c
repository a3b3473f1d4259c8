// SPDX-License-Identifier: GPL-2.0
// The reservation's size must be a constant.
#include "ref_records.h"
SEC("xdp")
int reserve_queue_sized(struct xdp_md *ctx)
{
	__u64 size = (ctx->rx_queue_index & 7) + 8;
	__u32 *rec = bpf_ringbuf_reserve(&samples, size, 0);
	if (!rec)
		return XDP_PASS;
	rec[0] = 1;
	bpf_ringbuf_submit(rec, 0);
	return XDP_PASS;
}
char LICENSE[] SEC("license") = "GPL";
