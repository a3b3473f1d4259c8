// SPDX-License-Identifier: GPL-2.0
// bpf_for_each_map_elem walks a timer map: odd keys are cancelled, even keys are re-armed with a longer delay.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define CLOCK_MONOTONIC 1

struct conn {
	struct bpf_timer idle;
	__u64 deadline;
	__s64 cancel_result;
	__s64 start_result;
	__u32 expired;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, struct conn);
} conns SEC(".maps");

struct walk {
	__u32 visited;
	__u32 cancelled;
	__u64 extra;
};

static int on_idle(void *map, __u32 *key, struct conn *c)
{
	c->expired++;
	return 0;
}

static int sweep(void *map, __u32 *key, struct conn *c, struct walk *w)
{
	w->visited++;
	if (*key & 1) {
		c->cancel_result = bpf_timer_cancel(&c->idle);
		w->cancelled++;
	} else {
		c->deadline += w->extra;
		c->start_result = bpf_timer_start(&c->idle, c->deadline, 0);
	}
	return w->visited >= 8;
}

SEC("syscall")
int open_and_sweep(void *ctx)
{
	struct conn fresh = {};
	struct walk w = { .extra = 50000 };
	__u32 key;

	for (int i = 1; i <= 4; i++) {
		struct conn *c;

		key = i;
		fresh.deadline = i * 5000000; /* ms apart: none fires before the sweep below ends */
		if (bpf_map_update_elem(&conns, &key, &fresh, BPF_ANY))
			return 1;
		c = bpf_map_lookup_elem(&conns, &key);
		if (!c)
			return 2;
		if (bpf_timer_init(&c->idle, &conns, CLOCK_MONOTONIC) || bpf_timer_set_callback(&c->idle, on_idle))
			return 3;
		if (bpf_timer_start(&c->idle, c->deadline, 0))
			return 4;
	}
	if (bpf_for_each_map_elem(&conns, sweep, &w, 0) != 4)
		return 5;
	return w.visited == 4 && w.cancelled == 2 ? 0 : 6;
}

char LICENSE[] SEC("license") = "GPL";
