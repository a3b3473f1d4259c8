/* Kfunc rule: reading the iterator's bytes as data. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "../realworld/kfuncs.h"

SEC("xdp")
int read_state(struct xdp_md *ctx)
{
	struct bpf_iter_num it;
	int peek;

	bpf_iter_num_new(&it, 0, 3);
	peek = *(volatile int *)&it;
	bpf_iter_num_destroy(&it);
	return peek;
}

char LICENSE[] SEC("license") = "GPL";
