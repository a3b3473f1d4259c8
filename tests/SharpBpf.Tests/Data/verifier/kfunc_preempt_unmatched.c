/* Kfunc rule: bpf_preempt_enable one time too many. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "../realworld/kfuncs.h"

SEC("xdp")
int enable_twice(struct xdp_md *ctx)
{
	bpf_preempt_disable();
	bpf_preempt_enable();
	bpf_preempt_enable();
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
