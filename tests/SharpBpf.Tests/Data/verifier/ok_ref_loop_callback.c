// SPDX-License-Identifier: GPL-2.0
// A bpf_loop callback reserves and submits a record per iteration; a static function fills the record.
#include "ref_records.h"
static __noinline void fill(struct sample *rec, __u32 index)
{
	if (rec) {
		rec->queue = index;
		rec->length = index * 2;
	}
}
static long report_one(__u64 index, void *unused)
{
	struct sample *rec = bpf_ringbuf_reserve(&samples, sizeof(*rec), 0);
	if (!rec)
		return 1;
	fill(rec, index);
	bpf_ringbuf_submit(rec, 0);
	return 0;
}
SEC("xdp")
int report_in_loop(struct xdp_md *ctx)
{
	bpf_loop(4, report_one, 0, 0);
	return XDP_PASS;
}
char LICENSE[] SEC("license") = "GPL";
