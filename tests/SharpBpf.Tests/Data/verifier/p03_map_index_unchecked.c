// SPDX-License-Identifier: GPL-2.0
// Wrong: indexes an 8-counter array inside a map value with a packet byte masked to 0..15.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct counters {
	__u64 slot[8];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct counters);
} stats SEC(".maps");

SEC("xdp")
int count_by_byte(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *end = (void *)(long)ctx->data_end;
	__u32 key = 0;
	struct counters *c;

	if (data + 1 > end)
		return XDP_PASS;
	c = bpf_map_lookup_elem(&stats, &key);
	if (!c)
		return XDP_PASS;
	c->slot[*data & 15]++;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
