// SPDX-License-Identifier: GPL-2.0
// R38: the timer pointer must have a constant offset; picking a timer slot by a runtime index is rejected.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct slot {
	struct bpf_timer timer;
	__u64 payload[2];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct slot);
} timers SEC(".maps");

SEC("syscall")
int init_variable_timer(void *ctx)
{
	__u32 key = 0;
	struct slot *s = bpf_map_lookup_elem(&timers, &key);
	if (!s)
		return 0;
	// The offset is 0 or 16 at run time: the verifier cannot tell which bytes are the timer.
	__u32 n = bpf_get_prandom_u32() & 1;
	return bpf_timer_init((struct bpf_timer *)((char *)s + n * sizeof(struct bpf_timer)), &timers, 1);
}

char LICENSE[] SEC("license") = "GPL";
