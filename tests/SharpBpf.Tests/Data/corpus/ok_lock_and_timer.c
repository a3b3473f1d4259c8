// SPDX-License-Identifier: GPL-2.0
// A rate limiter whose value holds a bpf_spin_lock and a bpf_timer: the program updates the counters under the
// lock, releases it, then arms the refill timer; the callback refills under the same lock.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define CLOCK_MONOTONIC 1

struct bucket {
	__u64 tokens;
	struct bpf_spin_lock lock;
	__u32 requests;
	__u32 refills;
	struct bpf_timer refill;
	__u64 last_refill_ns;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, struct bucket);
} buckets SEC(".maps");

static int refill(void *map, __u32 *key, struct bucket *b)
{
	bpf_spin_lock(&b->lock);
	b->tokens = 10;
	b->refills++;
	bpf_spin_unlock(&b->lock);
	b->last_refill_ns = *key;
	return 0;
}

SEC("syscall")
int take_token(void *ctx)
{
	__u32 client = 42;
	struct bucket fresh = { .tokens = 3 }, *b;
	int allowed;

	b = bpf_map_lookup_elem(&buckets, &client);
	if (!b) {
		bpf_map_update_elem(&buckets, &client, &fresh, BPF_NOEXIST);
		b = bpf_map_lookup_elem(&buckets, &client);
		if (!b)
			return 1;
		if (bpf_timer_init(&b->refill, &buckets, CLOCK_MONOTONIC))
			return 2;
		if (bpf_timer_set_callback(&b->refill, refill))
			return 3;
	}

	bpf_spin_lock(&b->lock);
	b->requests++;
	allowed = b->tokens > 0;
	if (allowed)
		b->tokens--;
	bpf_spin_unlock(&b->lock);

	if (bpf_timer_start(&b->refill, 1000000, 0))
		return 4;
	return allowed ? 0 : 5;
}

char LICENSE[] SEC("license") = "GPL";
