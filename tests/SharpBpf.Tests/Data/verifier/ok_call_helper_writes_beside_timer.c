// SPDX-License-Identifier: GPL-2.0
// Accepted neighbour: bpf_probe_read_kernel writing only the bytes before the bpf_timer.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct elem {
	__u64 stamp;
	struct bpf_timer timer;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct elem);
} timers SEC(".maps");

SEC("tc")
int overwrite_stamp(struct __sk_buff *skb)
{
	__u32 key = 0;
	struct elem *e = bpf_map_lookup_elem(&timers, &key);
	if (!e)
		return 0;
	bpf_probe_read_kernel(&e->stamp, sizeof(e->stamp), (void *)(long)skb->mark);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
