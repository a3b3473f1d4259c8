// SPDX-License-Identifier: GPL-2.0
// bpf_tail_call needs a program array.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 4); __type(key, __u32); __type(value, __u32); } stages SEC(".maps");
SEC("xdp")
int jump_through_array(struct xdp_md *ctx)
{
	bpf_tail_call(ctx, &stages, ctx->rx_queue_index & 3);
	return XDP_PASS;
}
char LICENSE[] SEC("license") = "GPL";
