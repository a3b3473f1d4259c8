// SPDX-License-Identifier: GPL-2.0
// bpf_probe_read_kernel is gpl_only; a program under a proprietary license may not call it.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("tc")
int read_kernel_word(struct __sk_buff *skb)
{
	__u64 word = 0;
	bpf_probe_read_kernel(&word, sizeof(word), (void *)(long)skb->mark);
	return word ? 1 : 0;
}

char LICENSE[] SEC("license") = "Proprietary";
