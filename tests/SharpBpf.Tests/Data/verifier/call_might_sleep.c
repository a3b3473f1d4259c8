// SPDX-License-Identifier: GPL-2.0
// bpf_copy_from_user may sleep; an XDP program is not sleepable.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int copy_user_in_xdp(struct xdp_md *ctx)
{
	char buffer[8];
	if (bpf_copy_from_user(buffer, sizeof(buffer), (void *)(long)ctx->data))
		return XDP_DROP;
	return buffer[0] ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
