/* Kfunc neighbour: accepted: an unresolved __weak kfunc behind a check of its address is dead code. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "../realworld/kfuncs.h"

extern void bpf_not_in_any_kernel(void) __ksym __weak;

SEC("xdp")
int guarded_call(struct xdp_md *ctx)
{
	if (bpf_not_in_any_kernel)
		bpf_not_in_any_kernel();
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
