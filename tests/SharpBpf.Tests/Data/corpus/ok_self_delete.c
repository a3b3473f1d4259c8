// SPDX-License-Identifier: GPL-2.0
// Callbacks that manage their own element: a lease deletes itself when it expires (and records what re-arming a
// deleted timer returns); a heartbeat re-arms itself at an absolute deadline computed from bpf_ktime_get_ns, with
// limits from .rodata; it also reads bpf_ktime_get_boot_ns.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define CLOCK_MONOTONIC 1
#ifndef BPF_F_TIMER_ABS
#define BPF_F_TIMER_ABS 1
#endif

volatile const __u64 heartbeat_ns = 100000;
volatile const __u32 heartbeats = 4;

struct lease {
	struct bpf_timer timer;
	__u64 owner;
};

struct beat {
	struct bpf_timer timer;
	__u32 count;
	__u32 boot_clock_moved;
	__u64 first_ns;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, struct lease);
} leases SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct beat);
} beats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __s64);
} results SEC(".maps");

static void record(__u32 slot, __s64 value)
{
	__s64 *r = bpf_map_lookup_elem(&results, &slot);
	if (r)
		*r = value;
}

static int on_lease_expired(void *map, __u32 *key, struct lease *l)
{
	__u32 k = *key;

	record(0, bpf_map_delete_elem(map, &k));
	record(1, bpf_map_lookup_elem(map, &k) != 0);
	return 0;
}

static int on_heartbeat(void *map, __u32 *key, struct beat *b)
{
	__u64 now = bpf_ktime_get_ns();

	b->count++;
	b->boot_clock_moved = bpf_ktime_get_boot_ns() != 0;
	if (b->count >= heartbeats) {
		record(2, b->count);
		return 0;
	}
	record(3, bpf_timer_start(&b->timer, now + heartbeat_ns, BPF_F_TIMER_ABS));
	return 0;
}

SEC("syscall")
int grant_lease(void *ctx)
{
	__u32 id = 3, zero = 0;
	struct lease fresh = { .owner = 77 }, *l;
	struct beat *b;

	if (bpf_map_update_elem(&leases, &id, &fresh, BPF_NOEXIST))
		return 1;
	l = bpf_map_lookup_elem(&leases, &id);
	if (!l)
		return 2;
	if (bpf_timer_init(&l->timer, &leases, CLOCK_MONOTONIC) || bpf_timer_set_callback(&l->timer, on_lease_expired))
		return 3;
	if (bpf_timer_start(&l->timer, 200000, 0))
		return 4;

	b = bpf_map_lookup_elem(&beats, &zero);
	if (!b)
		return 5;
	b->first_ns = 1;
	if (bpf_timer_init(&b->timer, &beats, CLOCK_MONOTONIC) || bpf_timer_set_callback(&b->timer, on_heartbeat))
		return 6;
	return bpf_timer_start(&b->timer, bpf_ktime_get_ns() + heartbeat_ns, BPF_F_TIMER_ABS) ? 7 : 0;
}

char LICENSE[] SEC("license") = "GPL";
