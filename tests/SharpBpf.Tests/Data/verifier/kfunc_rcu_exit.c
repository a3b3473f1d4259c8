/* Kfunc rule: returning inside an RCU read section. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "../realworld/kfuncs.h"

SEC("tc")
int exit_locked(struct __sk_buff *skb)
{
	bpf_rcu_read_lock();
	if (skb->len > 100)
		return 2;
	bpf_rcu_read_unlock();
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
