// SPDX-License-Identifier: GPL-2.0
// A call to helper id 212, one past the last helper Linux 6.18 defines: "invalid func unknown#212".
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

static long (*const helper_212)(void) = (void *)212;

SEC("xdp")
int call_future_helper(struct xdp_md *ctx)
{
	return helper_212() ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
