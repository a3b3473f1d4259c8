// SPDX-License-Identifier: GPL-2.0
// Accepted neighbour of call_div_by_zero_imm: a register known to be 0 as divisor (the result is defined: 0).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("tc")
int divide_by_zero_register(struct __sk_buff *skb)
{
	__u64 quotient = skb->mark;
	__u64 divisor = 0;
	asm volatile("%0 /= %1; %0 %%= %1" : "+r"(quotient) : "r"(divisor));
	return quotient;
}

char LICENSE[] SEC("license") = "GPL";
