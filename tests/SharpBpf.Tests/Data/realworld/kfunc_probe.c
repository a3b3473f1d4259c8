/* A kfunc call (bpf_rcu_read_lock/unlock, which Linux 6.18 offers every program type). SharpBpf implements no
 * kfuncs yet, so its loader refuses the object with libbpf's words for a kfunc it cannot find. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

extern void bpf_rcu_read_lock(void) __ksym;
extern void bpf_rcu_read_unlock(void) __ksym;

SEC("xdp")
int rcu_section(struct xdp_md *ctx)
{
	bpf_rcu_read_lock();
	bpf_rcu_read_unlock();
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
