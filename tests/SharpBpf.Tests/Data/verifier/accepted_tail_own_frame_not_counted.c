// SPDX-License-Identifier: GPL-2.0
// The tail-calling subprogram's own frame does not count: 224 bytes below it plus its own 32 are allowed.
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
	__type(value, char[24]);
} own SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, char[216]);
} below SEC(".maps");

static __noinline int forward(struct xdp_md *ctx)
{
	char scratch[24];
	__u32 zero = 0;

	__builtin_memset(scratch, 2, sizeof(scratch));
	bpf_map_update_elem(&own, &zero, scratch, 0);
	bpf_tail_call(ctx, &jump, 0);
	return XDP_PASS;
}

SEC("xdp")
int own_frame_caller(struct xdp_md *ctx)
{
	char scratch[216];
	__u32 zero = 0;

	__builtin_memset(scratch, 1, sizeof(scratch));
	bpf_map_update_elem(&below, &zero, scratch, 0);
	return forward(ctx);
}

char LICENSE[] SEC("license") = "GPL";
