// SPDX-License-Identifier: GPL-2.0
// XDP pointer arithmetic users write: a variable, masked offset into the packet re-checked against data_end,
// a packet pointer kept on the stack across a helper call, metadata space from bpf_xdp_adjust_meta, and a
// 32-bit bounds check (jmp32) on a length read from the packet.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} seen SEC(".maps");

SEC("xdp")
int tlv_walk(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	__u8 *p = data;
	__u32 total = 0, key;
	__u64 *slot;

	if ((void *)(p + 2) > end)
		return XDP_DROP;
	/* The first byte is the offset of a 4-byte tag, the second its length budget. */
	__u32 off = p[0] & 0x3f;
	__u32 budget = p[1];
	__u8 *tag = p + off;

	if ((void *)(tag + 4) > end)
		return XDP_PASS;
	if (budget > 200)
		budget = 200;
	total = tag[0] + tag[1] + tag[2] + tag[3] + budget;
	key = tag[0] & 3;
	slot = bpf_map_lookup_elem(&seen, &key);
	/* tag is still used after the call: clang keeps it in a callee-saved register or spills it. */
	if (slot)
		*slot += total + tag[3];
	return XDP_PASS;
}

SEC("xdp")
int with_meta(struct xdp_md *ctx)
{
	__u32 *meta;
	void *data, *end;
	__u32 key = 3;
	__u64 *slot;

	if (bpf_xdp_adjust_meta(ctx, -(int)sizeof(__u32)))
		return XDP_PASS;
	data = (void *)(long)ctx->data;
	end = (void *)(long)ctx->data_end;
	meta = (void *)(long)ctx->data_meta;
	if ((void *)(meta + 1) > data)
		return XDP_ABORTED;
	if (data + 1 > end)
		return XDP_DROP;
	*meta = *(__u8 *)data;
	slot = bpf_map_lookup_elem(&seen, &key);
	if (slot)
		*slot = *meta;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
