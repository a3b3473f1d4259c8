/* Kfunc rule: the iterator's bytes handed to a helper as a map key. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "../realworld/kfuncs.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4);
	__type(key, __u64);
	__type(value, __u64);
} seen SEC(".maps");

SEC("xdp")
int iterator_as_key(struct xdp_md *ctx)
{
	struct bpf_iter_num it;
	void *found;

	bpf_iter_num_new(&it, 0, 3);
	found = bpf_map_lookup_elem(&seen, &it);
	bpf_iter_num_destroy(&it);
	return found ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
