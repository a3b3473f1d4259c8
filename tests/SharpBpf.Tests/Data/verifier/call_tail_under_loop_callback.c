// SPDX-License-Identifier: GPL-2.0
// A bpf_loop callback that calls a subprogram that tail-calls: Linux refuses it after the walk.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u32);
} jump SEC(".maps");

struct holder {
	struct xdp_md *ctx;
};

static __noinline int forward(struct xdp_md *ctx)
{
	bpf_tail_call(ctx, &jump, 0);
	return 1;
}

static int step(__u32 index, struct holder *holder)
{
	return forward(holder->ctx) ? 1 : 0;
}

SEC("xdp")
int loop_tail_nested(struct xdp_md *ctx)
{
	struct holder holder = { ctx };

	bpf_loop(2, step, &holder, 0);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
