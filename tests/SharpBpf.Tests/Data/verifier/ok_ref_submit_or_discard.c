// SPDX-License-Identifier: GPL-2.0
// Every path releases the record: submitted for large packets, discarded otherwise; the record survives a spill
// across another helper call.
#include "ref_records.h"
SEC("xdp")
int submit_or_discard(struct xdp_md *ctx)
{
	struct sample *rec = bpf_ringbuf_reserve(&samples, sizeof(*rec), 0);
	if (!rec)
		return XDP_PASS;
	rec->length = ctx->data_end - ctx->data;
	rec->queue = bpf_get_prandom_u32();
	if (rec->length > 100)
		bpf_ringbuf_submit(rec, 0);
	else
		bpf_ringbuf_discard(rec, 0);
	return XDP_PASS;
}
char LICENSE[] SEC("license") = "GPL";
