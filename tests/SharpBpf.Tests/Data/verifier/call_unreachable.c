// SPDX-License-Identifier: GPL-2.0
// An instruction no path reaches: "unreachable insn N".
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("tc")
int skip_one(struct __sk_buff *skb)
{
	int result;
	asm volatile("%0 = 0; goto +1; %0 = 1" : "=r"(result));
	return result;
}

char LICENSE[] SEC("license") = "GPL";
