// SPDX-License-Identifier: GPL-2.0
// Exits holding both a lock and a record: the kernel names the lock first.
#include "ref_records.h"
struct counter { struct bpf_spin_lock lock; __u64 hits; };
struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 1); __type(key, __u32); __type(value, struct counter); } counters SEC(".maps");
SEC("tc")
int count_locked(struct __sk_buff *skb)
{
	__u32 key = 0;
	struct counter *c = bpf_map_lookup_elem(&counters, &key);
	if (!c)
		return 0;
	struct sample *rec = bpf_ringbuf_reserve(&samples, sizeof(*rec), 0);
	if (!rec)
		return 0;
	rec->queue = skb->queue_mapping;
	bpf_spin_lock(&c->lock);
	c->hits++;
	return 0;
}
char LICENSE[] SEC("license") = "GPL";
