// SPDX-License-Identifier: GPL-2.0
// Loaded with root's capabilities Linux allows an uninitialized stack key (allow_uninit_stack).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4);
	__type(key, __u64);
	__type(value, __u64);
} counts SEC(".maps");

SEC("tc")
int lookup_garbage_key(struct __sk_buff *skb)
{
	__u64 key;
	asm volatile("" : "=m"(key));
	__u64 *value = bpf_map_lookup_elem(&counts, &key);
	return value ? 1 : 0;
}

char LICENSE[] SEC("license") = "GPL";
