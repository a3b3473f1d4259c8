// SPDX-License-Identifier: GPL-2.0
// Wrong: a socket filter may write only cb[] of its __sk_buff; TC may also write mark.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("socket")
int mark_in_filter(struct __sk_buff *skb)
{
	skb->cb[0] = skb->len;
	skb->cb[1] = skb->protocol;
	skb->cb[2] = skb->ifindex + 1;
	asm volatile("" ::: "memory"); /* keep the allowed stores first */
	skb->mark = 7;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
