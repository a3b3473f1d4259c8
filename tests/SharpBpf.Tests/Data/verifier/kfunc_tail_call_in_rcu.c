/* Kfunc rule: a tail call inside an RCU read section. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "../realworld/kfuncs.h"

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 1);
	__type(key, int);
	__type(value, int);
} jump_table SEC(".maps");

SEC("xdp")
int tail_call_in_section(struct xdp_md *ctx)
{
	bpf_rcu_read_lock();
	bpf_tail_call(ctx, &jump_table, 0);
	bpf_rcu_read_unlock();
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
