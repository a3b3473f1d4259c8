// SPDX-License-Identifier: GPL-2.0
// The maps each helper needs: push and pop on a queue, peek on a bloom filter, output to a ring buffer, a redirect
// through a devmap.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
struct { __uint(type, BPF_MAP_TYPE_QUEUE); __uint(max_entries, 4); __type(value, __u32); } pending SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_BLOOM_FILTER); __uint(max_entries, 16); __type(value, __u32); } known SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_RINGBUF); __uint(max_entries, 4096); } samples SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_DEVMAP); __uint(max_entries, 4); __type(key, __u32); __type(value, __u32); } ports SEC(".maps");
SEC("xdp")
int right_maps(struct xdp_md *ctx)
{
	__u32 value = ctx->rx_queue_index;
	bpf_map_push_elem(&pending, &value, 0);
	bpf_map_pop_elem(&pending, &value);
	if (bpf_map_peek_elem(&known, &value) == 0)
		bpf_ringbuf_output(&samples, &value, sizeof(value), 0);
	return bpf_redirect_map(&ports, value & 3, XDP_PASS);
}
char LICENSE[] SEC("license") = "GPL";
