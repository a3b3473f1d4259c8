// SPDX-License-Identifier: GPL-2.0
// Kernel-engine test object: XDP programs that count into an ARRAY, a HASH and a global (.bss), and one
// that grows and rewrites the packet. Rebuild with ./build.sh (clang-19).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} by_first_byte SEC(".maps");

__u64 packets_seen = 0;

static __always_inline void add(void *map, __u32 key, __u64 amount)
{
	__u64 *value = bpf_map_lookup_elem(map, &key);
	if (value)
		__sync_fetch_and_add(value, amount);
}

/* counters[0] += 1, counters[1] += packet length, by_first_byte[data[0]] += 1, packets_seen += 1. */
SEC("xdp")
int xdp_count(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;

	add(&counters, 0, 1);
	add(&counters, 1, data_end - data);
	if (data + 1 > data_end)
		return XDP_ABORTED;

	__u32 first = *(__u8 *)data;
	__u64 *seen = bpf_map_lookup_elem(&by_first_byte, &first);
	if (seen) {
		__sync_fetch_and_add(seen, 1);
	} else {
		__u64 one = 1;
		bpf_map_update_elem(&by_first_byte, &first, &one, BPF_NOEXIST);
	}
	packets_seen++;
	return XDP_PASS;
}

/* Grows the packet by 4 bytes, increments byte 0 and writes de ad be ef at offset 14; returns XDP_TX. */
SEC("xdp")
int xdp_grow(struct xdp_md *ctx)
{
	if (bpf_xdp_adjust_tail(ctx, 4))
		return XDP_ABORTED;

	__u8 *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	if ((void *)(data + 18) > data_end)
		return XDP_ABORTED;

	data[0] += 1;
	data[14] = 0xde;
	data[15] = 0xad;
	data[16] = 0xbe;
	data[17] = 0xef;
	return XDP_TX;
}

char LICENSE[] SEC("license") = "GPL";
