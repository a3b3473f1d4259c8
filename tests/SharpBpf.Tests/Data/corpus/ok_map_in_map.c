// SPDX-License-Identifier: GPL-2.0
// Map-in-map sessions: an ARRAY_OF_MAPS and a HASH_OF_MAPS whose inner hashes hold timers. The program looks up the
// outer map, then the inner one, and arms the inner value's timer with the inner map (the map_uid rule).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define CLOCK_MONOTONIC 1

struct session {
	struct bpf_timer timer;
	__u64 armed_at;
	__u64 fired;
};

struct inner_sessions {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, struct session);
} tenant_a SEC(".maps"), tenant_b SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 2);
	__type(key, __u32);
	__array(values, struct inner_sessions);
} tenants SEC(".maps") = {
	.values = { [0] = &tenant_a, [1] = &tenant_b },
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH_OF_MAPS);
	__uint(max_entries, 2);
	__type(key, __u32);
	__array(values, struct inner_sessions);
} by_port SEC(".maps") = {
	.values = { [80] = &tenant_b },
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __s64);
} results SEC(".maps");

static void record(__u32 slot, __s64 value)
{
	__s64 *r = bpf_map_lookup_elem(&results, &slot);
	if (r)
		*r = value;
}

static int on_session_expired(void *map, __u32 *key, struct session *s)
{
	s->fired += 1;
	record(3, *key);
	return 0;
}

static int arm_in(void *inner, __u32 id, __u64 delay)
{
	struct session fresh = {};
	struct session *s;
	long err;

	if (bpf_map_update_elem(inner, &id, &fresh, BPF_ANY))
		return 1;
	s = bpf_map_lookup_elem(inner, &id);
	if (!s)
		return 2;
	s->armed_at = id;
	err = bpf_timer_init(&s->timer, inner, CLOCK_MONOTONIC);
	if (err)
		return 3;
	err = bpf_timer_set_callback(&s->timer, on_session_expired);
	if (err)
		return 4;
	return bpf_timer_start(&s->timer, delay, 0) ? 5 : 0;
}

SEC("syscall")
int arm_tenant_sessions(void *ctx)
{
	__u32 tenant = 0;
	void *inner = bpf_map_lookup_elem(&tenants, &tenant);
	int err;

	if (!inner)
		return 10;
	err = arm_in(inner, 5, 1000000);
	record(0, err);
	if (err)
		return err;

	tenant = 1;
	inner = bpf_map_lookup_elem(&tenants, &tenant);
	if (!inner)
		return 11;
	return arm_in(inner, 6, 2000000);
}

SEC("syscall")
int arm_by_port(void *ctx)
{
	__u32 port = 80, id = 9;
	struct session fresh = {}, *s;
	void *inner = bpf_map_lookup_elem(&by_port, &port);

	if (!inner)
		return 10;
	if (bpf_map_update_elem(inner, &id, &fresh, BPF_NOEXIST))
		return 1;
	s = bpf_map_lookup_elem(inner, &id);
	if (!s)
		return 2;
	if (bpf_timer_init(&s->timer, inner, CLOCK_MONOTONIC))
		return 3;
	if (bpf_timer_set_callback(&s->timer, on_session_expired))
		return 4;
	record(1, bpf_timer_start(&s->timer, 500000, 0));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
