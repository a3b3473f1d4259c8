// SPDX-License-Identifier: GPL-2.0
// bpf_redirect_map needs a devmap, cpumap or xskmap.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 4); __type(key, __u32); __type(value, __u32); } ports SEC(".maps");
SEC("xdp")
int redirect_through_array(struct xdp_md *ctx)
{
	return bpf_redirect_map(&ports, ctx->rx_queue_index & 3, XDP_PASS);
}
char LICENSE[] SEC("license") = "GPL";
