// SPDX-License-Identifier: GPL-2.0
// Loops and stack use clang and the kernel accept from a privileged loader: callbacks whose 0/1 result comes out
// of a long loop, a flag that survives many iterations, uninitialised padding in a stack key, stack writes at a
// bounded variable offset, a callback chosen on a branch.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define CLOCK_MONOTONIC 1
#define SAMPLES 40

struct window {
	struct bpf_timer timer;
	__u32 samples[SAMPLES];
	__u32 threshold;
	__u32 over;
	__u32 fired_fast;
	__u32 fired_slow;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, struct window);
} windows SEC(".maps");

struct odd_key {
	__u8 kind;   /* followed by 3 bytes of padding nobody writes */
	__u32 id;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4);
	__type(key, struct odd_key);
	__type(value, __u64);
} odd SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u64);
} out SEC(".maps");

static void put(__u32 slot, __u64 value)
{
	__u64 *o = bpf_map_lookup_elem(&out, &slot);
	if (o)
		*o = value;
}

/* Stops the walk at the first window with a sample over its threshold: 0 or 1 from a 40-step loop. */
static int find_hot(void *map, __u32 *key, struct window *w, __u32 *hot)
{
	int found = 0;

	for (int i = 0; i < SAMPLES; i++) {
		if (w->samples[i] > w->threshold)
			found = 1;
	}
	if (found)
		*hot = *key;
	return found;
}

static int on_fast(void *map, __u32 *key, struct window *w)
{
	w->fired_fast++;
	return 0;
}

static int on_slow(void *map, __u32 *key, struct window *w)
{
	__u32 over = 0;

	for (int i = 0; i < SAMPLES; i++)
		over += w->samples[i] > w->threshold;
	w->over = over;
	w->fired_slow++;
	return 0;
}

SEC("syscall")
int fill_windows(void *ctx)
{
	struct window fresh = {};

	for (__u32 k = 0; k < 3; k++) {
		__u32 key = k;
		struct window *w;

		fresh.threshold = 10 + k;
		if (bpf_map_update_elem(&windows, &key, &fresh, BPF_ANY))
			return 1;
		w = bpf_map_lookup_elem(&windows, &key);
		if (!w)
			return 2;
		for (int i = 0; i < SAMPLES; i++)
			w->samples[i] = (i * 7 + k) % 13;
		if (bpf_timer_init(&w->timer, &windows, CLOCK_MONOTONIC))
			return 3;
		/* The callback is picked on a branch: the verifier must check both. */
		if (bpf_timer_set_callback(&w->timer, k & 1 ? on_fast : on_slow))
			return 4;
		if (bpf_timer_start(&w->timer, 100000 * (k + 1), 0))
			return 5;
	}
	return 0;
}

SEC("syscall")
int walk_windows(void *ctx)
{
	__u32 hot = 99;
	long visited = bpf_for_each_map_elem(&windows, find_hot, &hot, 0);

	put(0, visited);
	put(1, hot);
	return 0;
}

/* bpf_loop over the windows: stop once any of the first 30 samples of a window is over 100. */
static int any_over(__u32 index, struct window **first)
{
	struct window *w = *first;
	int stop = 0;

	for (int i = 0; i < 30; i++)
		stop |= w->samples[i] > 100;
	return stop;
}

SEC("syscall")
int scan_first_window(void *ctx)
{
	__u32 key = 0;
	struct window *w = bpf_map_lookup_elem(&windows, &key);

	if (!w)
		return 1;
	put(4, bpf_loop(4, any_over, &w, 0));
	return 0;
}

SEC("syscall")
int padded_key(void *ctx)
{
	struct odd_key key;
	__u64 *v;

	/* Only the named fields are written; the kernel lets a privileged program pass the padding as it is. */
	key.kind = 3;
	key.id = 7;
	v = bpf_map_lookup_elem(&odd, &key);
	put(2, v != 0);
	return 0;
}

SEC("syscall")
int stack_histogram(void *ctx)
{
	__u64 buckets[8] = {};
	__u64 total = 0;

	for (int i = 0; i < 32; i++) {
		__u32 b = (i * 5) & 7;

		buckets[b] += i;
	}
	for (int i = 0; i < 8; i++)
		total += buckets[i] * (i + 1);
	put(3, total);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
