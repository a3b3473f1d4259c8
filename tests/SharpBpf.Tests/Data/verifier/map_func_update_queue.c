// SPDX-License-Identifier: GPL-2.0
// A queue takes push, pop and peek only: an update is refused.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
struct { __uint(type, BPF_MAP_TYPE_QUEUE); __uint(max_entries, 4); __type(value, __u32); } pending SEC(".maps");
SEC("xdp")
int update_queue(struct xdp_md *ctx)
{
	__u32 value = ctx->rx_queue_index;
	__u32 key = 0;
	bpf_map_update_elem(&pending, &key, &value, 0);
	return XDP_PASS;
}
char LICENSE[] SEC("license") = "GPL";
