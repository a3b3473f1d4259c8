/* Kfunc rule: using next's result without the NULL check. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "../realworld/kfuncs.h"

SEC("xdp")
int unchecked_value(struct xdp_md *ctx)
{
	struct bpf_iter_num it;
	int value;

	bpf_iter_num_new(&it, 0, 3);
	value = *bpf_iter_num_next(&it);
	bpf_iter_num_destroy(&it);
	return value;
}

char LICENSE[] SEC("license") = "GPL";
