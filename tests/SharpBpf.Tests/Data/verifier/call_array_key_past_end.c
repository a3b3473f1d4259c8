// SPDX-License-Identifier: GPL-2.0
// The same unchecked use with key 4 of a 4-entry array: the lookup may fail, the result stays map_value_or_null.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

SEC("tc")
int count_past_end(struct __sk_buff *skb)
{
	/* A 4-byte store at an 8-aligned slot: Linux tracks it as a constant key; at fp-4 it would not. */
	volatile __u32 key __attribute__((aligned(8))) = 4;
	__u64 *value = bpf_map_lookup_elem(&counts, (void *)&key);
	asm volatile("" : "+r"(value));
	*value += 1;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
