// SPDX-License-Identifier: GPL-2.0
// bpf_sk_release of something that is not a socket at all.
#include "ref_sockets.h"
SEC("tc")
int release_number(struct __sk_buff *skb)
{
	__u32 mark = skb->mark;
	if (mark == 0)
		return TC_ACT_OK;
	bpf_sk_release((void *)(long)(mark + skb->priority));
	return TC_ACT_OK;
}
char LICENSE[] SEC("license") = "GPL";
