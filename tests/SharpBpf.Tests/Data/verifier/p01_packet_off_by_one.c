// SPDX-License-Identifier: GPL-2.0
// Wrong: checks 13 bytes of the frame against data_end, then reads the 2-byte EtherType at offset 12 (needs 14).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int short_check(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *end = (void *)(long)ctx->data_end;

	if (data + 13 > end)
		return XDP_DROP;
	return *(volatile unsigned short *)(data + 12) == 0x0008 ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
