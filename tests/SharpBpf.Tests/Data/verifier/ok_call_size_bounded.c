// SPDX-License-Identifier: GPL-2.0
// Accepted neighbour of the size rules: the length is masked into [0, 15].
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("tc")
int read_masked_length(struct __sk_buff *skb)
{
	char buffer[16] = {};
	bpf_probe_read_kernel(buffer, skb->mark & 15, (void *)(long)skb->priority);
	return buffer[0];
}

char LICENSE[] SEC("license") = "GPL";
