/* A kfunc no kernel has: libbpf refuses the object before the kernel sees it, and SharpBpf with libbpf's words. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

extern void bpf_no_such_kfunc(void) __ksym;

SEC("xdp")
int call_unknown(struct xdp_md *ctx)
{
	bpf_no_such_kfunc();
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
