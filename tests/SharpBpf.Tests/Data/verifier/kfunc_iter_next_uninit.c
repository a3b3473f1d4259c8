/* Kfunc rule: next on an iterator new never initialized. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "../realworld/kfuncs.h"

SEC("xdp")
int next_uninit(struct xdp_md *ctx)
{
	struct bpf_iter_num it;
	int *v = bpf_iter_num_next(&it);

	return v ? *v : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
