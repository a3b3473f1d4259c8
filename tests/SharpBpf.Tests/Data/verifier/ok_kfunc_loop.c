/* Kfunc neighbour: accepted: loops whose counters the verifier cannot bound converge at the iterator's next call. */
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
int unbounded_sum(struct xdp_md *ctx)
{
	__u64 sum = 0, steps = 0;
	int i;

	iter_for(i, 0, 1000) {
		sum += i * ctx->ingress_ifindex;
		steps++;
	}
	return (sum + steps) & 1 ? XDP_DROP : XDP_PASS;
}

SEC("xdp")
int nested_loops(struct xdp_md *ctx)
{
	__u64 acc = 0;
	int i, j;

	iter_for(i, 0, 16) {
		iter_for(j, i, 16)
			acc ^= i * 16 + j;
	}
	return acc & 1 ? XDP_DROP : XDP_PASS;
}

SEC("xdp")
int value_as_index(struct xdp_md *ctx)
{
	int key = 0, i;
	struct bpf_iter_num *slot = bpf_map_lookup_elem(&iterators, &key);
	unsigned int total = 0;

	if (!slot)
		return XDP_PASS;
	iter_for(i, 0, 2)
		total += ((unsigned char *)slot)[i * 4];
	return total & 1;
}

char LICENSE[] SEC("license") = "GPL";
