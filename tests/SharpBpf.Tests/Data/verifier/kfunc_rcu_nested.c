/* Kfunc rule: a second bpf_rcu_read_lock inside the section (Linux 6.18 does not nest them). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "../realworld/kfuncs.h"

SEC("xdp")
int nested_lock(struct xdp_md *ctx)
{
	bpf_rcu_read_lock();
	bpf_rcu_read_lock();
	bpf_rcu_read_unlock();
	bpf_rcu_read_unlock();
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
