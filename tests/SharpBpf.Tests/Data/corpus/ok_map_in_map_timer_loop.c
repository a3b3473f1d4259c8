// SPDX-License-Identifier: GPL-2.0
// A timer in the values of an inner array map, reached through an array of maps in a loop over the outer slots:
// each inner map's timer is initialised with that inner map and armed. The walk must end well below the
// complexity limit.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define CLOCK_MONOTONIC 1

struct session {
	struct bpf_timer timer;
	__u64 armed;
};

struct inner {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, struct session);
};

struct inner tenant0 SEC(".maps"), tenant1 SEC(".maps"), tenant2 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 3);
	__type(key, __u32);
	__array(values, struct inner);
} tenants SEC(".maps") = {
	.values = { &tenant0, &tenant1, &tenant2 },
};

static int on_session(void *map, __u32 *key, struct session *s)
{
	s->armed = 0;
	return 0;
}

SEC("syscall")
int arm_every_tenant(void *ctx)
{
	int armed = 0;

	for (__u32 t = 0; t < 3; t++) {
		__u32 outer_key = t, inner_key = 1;
		void *inner = bpf_map_lookup_elem(&tenants, &outer_key);
		struct session *s;

		if (!inner)
			continue;
		s = bpf_map_lookup_elem(inner, &inner_key);
		if (!s)
			continue;
		if (bpf_timer_init(&s->timer, inner, CLOCK_MONOTONIC))
			continue;
		bpf_timer_set_callback(&s->timer, on_session);
		if (bpf_timer_start(&s->timer, 2000000, 0) == 0) {
			s->armed = 1;
			armed++;
		}
	}
	return armed;
}

char LICENSE[] SEC("license") = "GPL";
