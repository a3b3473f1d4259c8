// SPDX-License-Identifier: GPL-2.0
// Submitting what may be NULL.
#include "ref_records.h"
SEC("xdp")
int submit_unchecked(struct xdp_md *ctx)
{
	struct sample *rec = bpf_ringbuf_reserve(&samples, sizeof(*rec), 0);
	bpf_ringbuf_submit(rec, 0);
	return XDP_PASS;
}
char LICENSE[] SEC("license") = "GPL";
