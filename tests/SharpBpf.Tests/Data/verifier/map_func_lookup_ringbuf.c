// SPDX-License-Identifier: GPL-2.0
// A ring buffer is no map to look up in.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
struct { __uint(type, BPF_MAP_TYPE_RINGBUF); __uint(max_entries, 4096); } samples SEC(".maps");
SEC("xdp")
int lookup_ringbuf(struct xdp_md *ctx)
{
	__u32 key = ctx->rx_queue_index;
	return bpf_map_lookup_elem(&samples, &key) ? XDP_DROP : XDP_PASS;
}
char LICENSE[] SEC("license") = "GPL";
