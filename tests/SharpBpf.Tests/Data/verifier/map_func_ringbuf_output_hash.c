// SPDX-License-Identifier: GPL-2.0
// bpf_ringbuf_output needs a ring buffer: a hash map is refused (check_map_func_compatibility).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 4); __type(key, __u32); __type(value, __u64); } seen SEC(".maps");
SEC("xdp")
int output_to_hash(struct xdp_md *ctx)
{
	__u64 sample = ctx->rx_queue_index;
	bpf_ringbuf_output(&seen, &sample, sizeof(sample), 0);
	return XDP_PASS;
}
char LICENSE[] SEC("license") = "GPL";
