// SPDX-License-Identifier: GPL-2.0
// Wrong: the retry callback gives up with "return -1" on one branch; an async callback must return 0 on all paths.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define CLOCK_MONOTONIC 1

struct retry {
	struct bpf_timer timer;
	__u32 attempts;
	__u32 limit;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, struct retry);
} retries SEC(".maps");

static int on_retry(void *map, __u32 *key, struct retry *r)
{
	if (++r->attempts > r->limit)
		return -1;
	bpf_timer_start(&r->timer, 1000, 0);
	return 0;
}

SEC("syscall")
int start_retry(void *ctx)
{
	__u32 key = 0;
	struct retry *r = bpf_map_lookup_elem(&retries, &key);

	if (!r)
		return 1;
	r->limit = 3;
	if (bpf_timer_init(&r->timer, &retries, CLOCK_MONOTONIC) || bpf_timer_set_callback(&r->timer, on_retry))
		return 2;
	return bpf_timer_start(&r->timer, 1000, 0) ? 3 : 0;
}

char LICENSE[] SEC("license") = "GPL";
