// SPDX-License-Identifier: GPL-2.0
// A size argument that may be negative: "R2 min value is negative, either use unsigned or 'var &= const'".
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("tc")
int read_signed_length(struct __sk_buff *skb)
{
	char buffer[16];
	long length = skb->mark;
	asm volatile("%0 <<= 32; %0 s>>= 32" : "+r"(length)); /* sign-extend: [-2^31, 2^31) */
	if (length > 16)
		return 0;
	bpf_probe_read_kernel(buffer, length, (void *)(long)skb->priority);
	return buffer[0];
}

char LICENSE[] SEC("license") = "GPL";
