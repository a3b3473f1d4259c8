// SPDX-License-Identifier: GPL-2.0
// Ring buffer events from the main program and from a timer callback: reserve, fill, submit (or discard).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define CLOCK_MONOTONIC 1

struct event {
	__u32 kind;
	__u32 key;
	__u64 value;
};

struct watchdog {
	struct bpf_timer timer;
	__u64 kicks;
	__u32 barks;
	__u32 dropped;
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, struct watchdog);
} dogs SEC(".maps");

static int bark(void *map, __u32 *key, struct watchdog *w)
{
	struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);

	w->barks++;
	if (!e) {
		w->dropped++;
		return 0;
	}
	e->kind = 2;
	e->key = *key;
	e->value = w->kicks;
	bpf_ringbuf_submit(e, 0);
	return 0;
}

SEC("syscall")
int kick(void *ctx)
{
	__u32 key = 1;
	struct watchdog *w = bpf_map_lookup_elem(&dogs, &key);
	struct event *e;

	if (!w)
		return 1;
	w->kicks++;
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (e) {
		e->kind = 1;
		e->key = key;
		e->value = w->kicks;
		if (w->kicks > 100)
			bpf_ringbuf_discard(e, 0);
		else
			bpf_ringbuf_submit(e, 0);
	}
	if (bpf_timer_init(&w->timer, &dogs, CLOCK_MONOTONIC) == 0)
		bpf_timer_set_callback(&w->timer, bark);
	return bpf_timer_start(&w->timer, 300000, 0) ? 2 : 0;
}

char LICENSE[] SEC("license") = "GPL";
