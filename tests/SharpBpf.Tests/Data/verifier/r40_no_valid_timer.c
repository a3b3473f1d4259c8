// SPDX-License-Identifier: GPL-2.0
// R40: the map's value type has no bpf_timer, so its bytes cannot be used as one.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct raw_timer {
	__u64 words[2];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct raw_timer);
} plain SEC(".maps");

SEC("syscall")
int init_plain_bytes(void *ctx)
{
	__u32 key = 0;
	struct raw_timer *r = bpf_map_lookup_elem(&plain, &key);
	if (!r)
		return 0;
	return bpf_timer_init((struct bpf_timer *)r, &plain, 1);
}

char LICENSE[] SEC("license") = "GPL";
