// SPDX-License-Identifier: GPL-2.0
// Division by the immediate 0 is refused ("div by zero"); division by a register that is 0 is not.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("tc")
int divide_by_zero(struct __sk_buff *skb)
{
	__u64 quotient = skb->mark;
	asm volatile("%0 /= 0" : "+r"(quotient));
	return quotient;
}

char LICENSE[] SEC("license") = "GPL";
