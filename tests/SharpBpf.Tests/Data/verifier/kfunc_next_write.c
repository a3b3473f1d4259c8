/* Kfunc rule: writing through the value next returns, which is read-only. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "../realworld/kfuncs.h"

SEC("xdp")
int write_value(struct xdp_md *ctx)
{
	struct bpf_iter_num it;
	int *v;

	bpf_iter_num_new(&it, 0, 3);
	v = bpf_iter_num_next(&it);
	if (v)
		*v = 3;
	bpf_iter_num_destroy(&it);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
