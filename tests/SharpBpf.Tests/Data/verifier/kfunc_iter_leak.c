/* Kfunc rule: an iterator never destroyed: its reference leaks at exit. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "../realworld/kfuncs.h"

SEC("xdp")
int leak(struct xdp_md *ctx)
{
	struct bpf_iter_num it;

	bpf_iter_num_new(&it, 0, 3);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
