// SPDX-License-Identifier: GPL-2.0
// bpf_skb_load_bytes is offered to tc and socket programs, not to XDP: "program of this type cannot use helper".
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int load_bytes_in_xdp(struct xdp_md *ctx)
{
	__u32 word = 0;
	if (bpf_skb_load_bytes(ctx, 0, &word, sizeof(word)))
		return XDP_DROP;
	return word ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
