// SPDX-License-Identifier: GPL-2.0
// bpf_probe_read_kernel takes no packet memory: "helper access to the packet is not allowed".
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int read_into_packet(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	if (data + 8 > end)
		return XDP_PASS;
	bpf_probe_read_kernel(data, 8, (void *)(long)ctx->rx_queue_index);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
