// SPDX-License-Identifier: GPL-2.0
// A static function reserves and returns without releasing: the reference outlives it and leaks at the program's exit.
#include "ref_records.h"
static __noinline int note_queue(__u32 queue)
{
	struct sample *rec = bpf_ringbuf_reserve(&samples, sizeof(*rec), 0);
	if (!rec)
		return 0;
	rec->queue = queue;
	return 1;
}
SEC("xdp")
int note_and_pass(struct xdp_md *ctx)
{
	return note_queue(ctx->rx_queue_index) ? XDP_PASS : XDP_DROP;
}
char LICENSE[] SEC("license") = "GPL";
