// SPDX-License-Identifier: GPL-2.0
// A bpf_loop callback that tail-calls: Linux fails its precision walk at the tail call ("verifier bug").
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

static int step(__u32 index, struct holder *holder)
{
	bpf_tail_call(holder->ctx, &jump, 0);
	return 1;
}

SEC("xdp")
int loop_tail_direct(struct xdp_md *ctx)
{
	struct holder holder = { ctx };

	bpf_loop(2, step, &holder, 0);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
