/* Kfunc rule: an unresolved __weak kfunc called without checking that it exists. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "../realworld/kfuncs.h"

extern void bpf_not_in_any_kernel(void) __ksym __weak;

SEC("xdp")
int call_missing(struct xdp_md *ctx)
{
	bpf_not_in_any_kernel();
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
