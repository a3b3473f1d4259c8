// SPDX-License-Identifier: GPL-2.0
// Read-only map memory (.rodata) handed to a helper that writes it.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

const volatile __u64 limit = 10;

SEC("tc")
int overwrite_constant(struct __sk_buff *skb)
{
	bpf_probe_read_kernel((void *)&limit, sizeof(limit), (void *)(long)skb->mark);
	return limit ? 1 : 0;
}

char LICENSE[] SEC("license") = "GPL";
