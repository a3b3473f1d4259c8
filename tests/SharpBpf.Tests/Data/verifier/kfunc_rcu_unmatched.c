/* Kfunc rule: bpf_rcu_read_unlock without a lock. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "../realworld/kfuncs.h"

SEC("xdp")
int unlock_only(struct xdp_md *ctx)
{
	bpf_rcu_read_unlock();
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
