/* Kfunc rule: returning with preemption disabled on one path. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "../realworld/kfuncs.h"

SEC("xdp")
int exit_disabled(struct xdp_md *ctx)
{
	bpf_preempt_disable();
	if (ctx->data_end - ctx->data > 60)
		return XDP_DROP;
	bpf_preempt_enable();
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
