// SPDX-License-Identifier: GPL-2.0
// A size argument with no upper bound: "R2 unbounded memory access, use 'var &= const' or 'if (var < const)'".
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("tc")
int read_any_length(struct __sk_buff *skb)
{
	char buffer[16];
	bpf_probe_read_kernel(buffer, skb->mark, (void *)(long)skb->priority);
	return buffer[0];
}

char LICENSE[] SEC("license") = "GPL";
