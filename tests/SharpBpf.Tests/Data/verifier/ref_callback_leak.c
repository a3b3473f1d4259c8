// SPDX-License-Identifier: GPL-2.0
// A bpf_loop callback reserves a record per iteration and forgets it.
#include "ref_records.h"
static long reserve_one(__u64 index, void *unused)
{
	struct sample *rec = bpf_ringbuf_reserve(&samples, sizeof(*rec), 0);
	if (!rec)
		return 1;
	rec->queue = index;
	return 0;
}
SEC("xdp")
int reserve_in_loop(struct xdp_md *ctx)
{
	bpf_loop(4, reserve_one, 0, 0);
	return XDP_PASS;
}
char LICENSE[] SEC("license") = "GPL";
