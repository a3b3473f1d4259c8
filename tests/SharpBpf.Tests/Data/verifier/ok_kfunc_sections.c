/* Kfunc neighbour: accepted: nested preemption sections, helpers and map access inside RCU and preemption sections. */
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
int sections(struct xdp_md *ctx)
{
	int key = 1;
	void *value;

	bpf_preempt_disable();
	bpf_preempt_disable();
	bpf_rcu_read_lock();
	value = bpf_map_lookup_elem(&iterators, &key);
	bpf_rcu_read_unlock();
	bpf_preempt_enable();
	bpf_preempt_enable();
	return value ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
