// SPDX-License-Identifier: GPL-2.0
// Wrong: keeps a packet pointer across bpf_xdp_adjust_head, which moves the packet.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int stale_pointer(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *end = (void *)(long)ctx->data_end;

	if (data + 14 > end)
		return XDP_DROP;
	if (bpf_xdp_adjust_head(ctx, 0))
		return XDP_ABORTED;
	return data[13] ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
