// SPDX-License-Identifier: GPL-2.0
// bpf_map_push_elem needs a queue, a stack or a bloom filter.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 4); __type(key, __u32); __type(value, __u32); } pending SEC(".maps");
SEC("xdp")
int push_into_hash(struct xdp_md *ctx)
{
	__u32 value = ctx->rx_queue_index;
	bpf_map_push_elem(&pending, &value, 0);
	return XDP_PASS;
}
char LICENSE[] SEC("license") = "GPL";
