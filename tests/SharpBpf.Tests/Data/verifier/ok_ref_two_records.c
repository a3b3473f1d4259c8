// SPDX-License-Identifier: GPL-2.0
// Two records held at once, released in the other order; a helper fills the first within its bounds.
#include "ref_records.h"
SEC("xdp")
int two_records(struct xdp_md *ctx)
{
	struct sample *first = bpf_ringbuf_reserve(&samples, sizeof(*first), 0);
	if (!first)
		return XDP_PASS;
	struct sample *second = bpf_ringbuf_reserve(&samples, sizeof(*second), 0);
	if (!second) {
		bpf_ringbuf_discard(first, 0);
		return XDP_PASS;
	}
	bpf_probe_read_kernel(first, sizeof(*first), (void *)(long)ctx->data);
	second->queue = ctx->rx_queue_index;
	bpf_ringbuf_submit(second, 0);
	bpf_ringbuf_submit(first, 0);
	return XDP_PASS;
}
char LICENSE[] SEC("license") = "GPL";
