// SPDX-License-Identifier: (MIT OR GPL-2.0)
// loop_checksum.c — bpf_loop with a callback: a 16-bit ones'-complement sum
// over the packet (XDP).
//
// Demonstrates: bpf_loop(count, callback, ctx, 0), a callback that receives
// the loop index and a pointer to the caller's stack context, stopping early
// by returning 1, and bpf_xdp_load_bytes for reads whose offset the verifier
// cannot bound. The result of the last run is stored in `checksums`:
//   slot 0: folded sum, slot 1: 16-bit words read, slot 2: bpf_loop's return.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define MAX_WORDS 1024

struct loop_state {
	struct xdp_md *xdp;
	__u32 length;
	__u32 sum;
	__u32 words;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 3);
	__type(key, __u32);
	__type(value, __u64);
} checksums SEC(".maps");

// Callbacks must be static: the loader passes them as function pointers.
static long add_word(__u32 index, void *context)
{
	struct loop_state *state = context;
	__u32 offset = index * 2;
	__u8 bytes[2] = {};

	if (offset >= state->length)
		return 1;	// stop the loop
	if (offset + 1 == state->length) {
		if (bpf_xdp_load_bytes(state->xdp, offset, bytes, 1))
			return 1;
	} else if (bpf_xdp_load_bytes(state->xdp, offset, bytes, 2)) {
		return 1;
	}
	state->sum += ((__u32)bytes[0] << 8) | bytes[1];
	state->words++;
	return 0;	// continue
}

static __always_inline void store(__u32 slot, __u64 value)
{
	__u64 *entry = bpf_map_lookup_elem(&checksums, &slot);

	if (entry)
		*entry = value;
}

SEC("xdp")
int checksum_packet(struct xdp_md *ctx)
{
	struct loop_state state = {
		.xdp = ctx,
		.length = ctx->data_end - ctx->data,
	};
	long iterations = bpf_loop(MAX_WORDS, add_word, &state, 0);

	state.sum = (state.sum & 0xffff) + (state.sum >> 16);
	state.sum = (state.sum & 0xffff) + (state.sum >> 16);
	store(0, state.sum);
	store(1, state.words);
	store(2, (__u64)iterations);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
