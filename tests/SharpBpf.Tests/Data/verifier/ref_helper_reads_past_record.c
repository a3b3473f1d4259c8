// SPDX-License-Identifier: GPL-2.0
// A helper fills 16 bytes of an 8-byte record.
#include "ref_records.h"
SEC("xdp")
int overfill_record(struct xdp_md *ctx)
{
	void *rec = bpf_ringbuf_reserve(&samples, 8, 0);
	if (!rec)
		return XDP_PASS;
	bpf_probe_read_kernel(rec, 16, (void *)(long)ctx->data);
	bpf_ringbuf_submit(rec, 0);
	return XDP_PASS;
}
char LICENSE[] SEC("license") = "GPL";
