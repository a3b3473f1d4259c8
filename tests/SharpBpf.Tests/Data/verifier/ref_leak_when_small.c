// SPDX-License-Identifier: GPL-2.0
// Submitted only for large packets: the other path leaks. After the branch the record's register is dead, so only the
// reference itself tells the two paths apart at the join (pruning must compare references).
#include "ref_records.h"
SEC("xdp")
int submit_large_only(struct xdp_md *ctx)
{
	struct sample *rec = bpf_ringbuf_reserve(&samples, sizeof(*rec), 0);
	if (!rec)
		return XDP_PASS;
	rec->length = ctx->data_end - ctx->data;
	if (rec->length > 100)
		bpf_ringbuf_submit(rec, 0);
	return XDP_PASS;
}
char LICENSE[] SEC("license") = "GPL";
