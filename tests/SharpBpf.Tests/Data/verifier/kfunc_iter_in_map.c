/* Kfunc rule: an iterator in a map value instead of on the stack. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "../realworld/kfuncs.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, int);
	__type(value, struct bpf_iter_num);
} iterators SEC(".maps");

SEC("xdp")
int iterator_in_map(struct xdp_md *ctx)
{
	int key = 0;
	struct bpf_iter_num *it = bpf_map_lookup_elem(&iterators, &key);

	if (!it)
		return XDP_PASS;
	bpf_iter_num_new(it, 0, 3);
	bpf_iter_num_destroy(it);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
