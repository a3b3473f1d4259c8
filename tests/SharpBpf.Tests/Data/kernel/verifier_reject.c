// SPDX-License-Identifier: GPL-2.0
// Kernel-engine test object that the kernel verifier must reject: a packet read without a bounds check
// ("invalid access to packet"). Rebuild with ./build.sh (clang-19).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int no_bounds_check(struct xdp_md *ctx)
{
	__u8 *data = (void *)(long)ctx->data;
	return data[0] == 1 ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
