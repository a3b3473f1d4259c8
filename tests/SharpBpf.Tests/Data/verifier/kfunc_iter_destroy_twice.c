/* Kfunc rule: destroy on an iterator already destroyed. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "../realworld/kfuncs.h"

SEC("xdp")
int destroy_twice(struct xdp_md *ctx)
{
	struct bpf_iter_num it;

	bpf_iter_num_new(&it, 0, 3);
	bpf_iter_num_destroy(&it);
	bpf_iter_num_destroy(&it);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
