// SPDX-License-Identifier: (MIT OR GPL-2.0)
// legacy_maps.c — maps declared the pre-BTF way: struct bpf_map_def in the 'maps' section (libbpf 0.x;
// libbpf 1.x refuses them, so there is no libbpf golden). No license section on purpose.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct legacy_map_def {
	unsigned int type;
	unsigned int key_size;
	unsigned int value_size;
	unsigned int max_entries;
	unsigned int map_flags;
};

struct legacy_map_def counts SEC("maps") = {
	.type = BPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 8, .max_entries = 4,
};

struct legacy_map_def table SEC("maps") = {
	.type = BPF_MAP_TYPE_HASH, .key_size = 8, .value_size = 16, .max_entries = 128, .map_flags = BPF_F_NO_PREALLOC,
};

SEC("xdp")
int count(struct xdp_md *ctx)
{
	__u32 key = 1;
	__u64 *value = bpf_map_lookup_elem(&counts, &key);
	__u64 flow = ctx->rx_queue_index;
	__u64 zero[2] = {};

	if (value)
		*value += 1;
	bpf_map_update_elem(&table, &flow, zero, BPF_ANY);
	return XDP_PASS;
}
