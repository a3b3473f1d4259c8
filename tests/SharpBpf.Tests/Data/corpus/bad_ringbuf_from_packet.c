// SPDX-License-Identifier: GPL-2.0
// Wrong: a packet sampler hands the packet bytes straight to bpf_ringbuf_output. Only helpers marked for packet
// access may read the packet; the sample must be copied to the stack (or loaded with bpf_xdp_load_bytes) first.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} samples SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} sampled SEC(".maps");

SEC("xdp")
int sample_headers(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	__u32 zero = 0;
	__u64 *count;

	if (data + 32 > end)
		return XDP_PASS;
	count = bpf_map_lookup_elem(&sampled, &zero);
	if (!count)
		return XDP_PASS;
	if ((*count)++ % 4)
		return XDP_PASS;
	bpf_ringbuf_output(&samples, data, 32, 0);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
