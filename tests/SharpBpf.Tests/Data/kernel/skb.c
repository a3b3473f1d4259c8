// SPDX-License-Identifier: GPL-2.0
// Kernel-engine test object: skb-based program types. tc_mark sets skb->mark = 1000 + skb->len and returns
// TC_ACT_UNSPEC (-1); socket_len returns skb->len, which for socket filters excludes the Ethernet header.
// Rebuild with ./build.sh (clang-19).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("tc")
int tc_mark(struct __sk_buff *skb)
{
	skb->mark = 1000 + skb->len;
	return -1;
}

SEC("socket")
int socket_len(struct __sk_buff *skb)
{
	return skb->len;
}

char LICENSE[] SEC("license") = "GPL";
