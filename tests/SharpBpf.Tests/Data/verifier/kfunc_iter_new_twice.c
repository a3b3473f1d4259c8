/* Kfunc rule: new on a slot that already holds a live iterator. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "../realworld/kfuncs.h"

SEC("xdp")
int new_twice(struct xdp_md *ctx)
{
	struct bpf_iter_num it;

	bpf_iter_num_new(&it, 0, 3);
	bpf_iter_num_new(&it, 0, 3);
	bpf_iter_num_destroy(&it);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
