// SPDX-License-Identifier: GPL-2.0
// The neighbour: 240 bytes below the tail-calling subprogram are allowed.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u32);
} jump SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, char[240 - 8]);
} sink SEC(".maps");

static __noinline int forward(struct xdp_md *ctx)
{
	bpf_tail_call(ctx, &jump, 0);
	return XDP_PASS;
}

SEC("xdp")
int slim_caller(struct xdp_md *ctx)
{
	char scratch[240 - 8];
	__u32 zero = 0;

	__builtin_memset(scratch, 1, sizeof(scratch));
	bpf_map_update_elem(&sink, &zero, scratch, 0);
	return forward(ctx);
}

char LICENSE[] SEC("license") = "GPL";
