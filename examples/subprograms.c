// SPDX-License-Identifier: (MIT OR GPL-2.0)
// subprograms.c — functions that are not inlined: static __noinline helpers
// and a global function, all in .text, shared by two XDP programs.
//
// Demonstrates: BPF-to-BPF calls (`call` with a pc-relative target that the
// loader links into each program that uses it), a call chain two levels deep,
// and a global function, which the kernel verifies once on its own (so its
// arguments must be scalars or the context).
// Both programs return XDP_PASS or XDP_DROP according to fold_checksum().
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);	// slot 0: program_a, slot 1: program_b
	__type(key, __u32);
	__type(value, __u64);
} results SEC(".maps");

// Global (non-static) function: verified independently of its callers.
__noinline int fold_checksum(__u32 sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (int)(~sum & 0xffff);
}

// Static and not inlined: called from both programs, calls fold_checksum.
static __noinline __u64 mix(__u32 a, __u32 b)
{
	__u32 folded = fold_checksum(a + b);

	return ((__u64)folded << 32) | (a ^ b);
}

static __noinline void store_result(__u32 slot, __u64 value)
{
	__u64 *entry = bpf_map_lookup_elem(&results, &slot);

	if (entry)
		*entry = value;
}

SEC("xdp")
int program_a(struct xdp_md *ctx)
{
	__u32 length = ctx->data_end - ctx->data;
	__u64 mixed = mix(length, 0x1234);

	store_result(0, mixed);
	return (mixed >> 32) & 1 ? XDP_PASS : XDP_DROP;
}

SEC("xdp")
int program_b(struct xdp_md *ctx)
{
	__u32 length = ctx->data_end - ctx->data;
	__u64 mixed = mix(0xabcd, length * 3);

	store_result(1, mixed);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
