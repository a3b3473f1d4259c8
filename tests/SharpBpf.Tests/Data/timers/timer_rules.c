// SPDX-License-Identifier: GPL-2.0
// Probes the bpf_timer rules of the shared spec: every helper return value lands in `results`, the callbacks
// count their runs in `fired`. Run in SharpBpf and in Linux, both maps must be byte-identical.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define CLOCK_BOOTTIME 7
#define EDEADLK 35

struct elem {
	struct bpf_timer timer;
	__u64 payload;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, struct elem);
} timers SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, struct elem);
} hashed SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __s64);
} results SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} fired SEC(".maps");

static __always_inline void record(__u32 slot, __s64 value)
{
	__s64 *entry = bpf_map_lookup_elem(&results, &slot);
	if (entry)
		*entry = value;
}

static __always_inline void bump(__u32 slot)
{
	__u64 *count = bpf_map_lookup_elem(&fired, &slot);
	if (count)
		__sync_fetch_and_add(count, 1);
}

// Fires once per start; cancelling its own timer gives -EDEADLK and changes nothing (R18).
static int on_fire(void *map, __u32 *key, struct elem *value)
{
	bump(*key);
	record(40 + *key, bpf_timer_cancel(&value->timer));
	value->payload += 1;
	return 0;
}

// Re-arms itself once from its own callback (R18: allowed after the -EDEADLK self-cancel).
static int rearm_once(void *map, __u32 *key, struct elem *value)
{
	bump(*key);
	if (value->payload++ == 0)
		record(50, bpf_timer_start(&value->timer, 1000, 0));
	return 0;
}

SEC("syscall")
int probe_rules(void *ctx)
{
	__u32 k0 = 0, k1 = 1, k2 = 2, k3 = 3;
	struct elem *a = bpf_map_lookup_elem(&timers, &k0);
	struct elem *b = bpf_map_lookup_elem(&timers, &k1);
	struct elem *c = bpf_map_lookup_elem(&timers, &k2);
	struct elem *d = bpf_map_lookup_elem(&timers, &k3);
	if (!a || !b || !c || !d)
		return 1;

	// R10: clock ids and flags, checked before state.
	record(0, bpf_timer_init(&a->timer, &timers, 2));
	record(1, bpf_timer_init(&a->timer, &timers, 16));
	record(2, bpf_timer_set_callback(&a->timer, on_fire));	// uninitialized: -EINVAL
	record(3, bpf_timer_start(&a->timer, 0, 0));		// uninitialized: -EINVAL
	record(4, bpf_timer_cancel(&a->timer));			// uninitialized: -EINVAL
	record(5, bpf_timer_init(&a->timer, &timers, CLOCK_MONOTONIC));
	// R11: initialized is -EBUSY, but bad flags are still -EINVAL first.
	record(6, bpf_timer_init(&a->timer, &timers, CLOCK_MONOTONIC));
	record(7, bpf_timer_init(&a->timer, &timers, 3));
	// R14: start needs a callback; unknown flags are -EINVAL whatever the state.
	record(8, bpf_timer_start(&a->timer, 1000, 0));
	record(9, bpf_timer_start(&a->timer, 1000, 4));
	record(10, bpf_timer_set_callback(&a->timer, on_fire));
	record(11, bpf_timer_cancel(&a->timer));			// not armed: 0, and the callback is gone (R17)
	record(12, bpf_timer_start(&a->timer, 1000, 0));		// -EINVAL until set_callback again
	record(13, bpf_timer_set_callback(&a->timer, on_fire));
	record(14, bpf_timer_start(&a->timer, 1000000000ULL, 0));	// 1 s: still armed at the cancel below
	record(15, bpf_timer_cancel(&a->timer));			// armed: 1
	record(16, bpf_timer_set_callback(&a->timer, on_fire));
	record(17, bpf_timer_start(&a->timer, 1000000, 0));	// fires at ~1 ms, once (R21)

	// R10: the other accepted clocks; R16: a negative time is armed but never fires.
	record(20, bpf_timer_init(&b->timer, &timers, CLOCK_BOOTTIME));
	record(21, bpf_timer_set_callback(&b->timer, on_fire));
	record(22, bpf_timer_start(&b->timer, (__u64)-1, 0));
	record(23, bpf_timer_init(&c->timer, &timers, CLOCK_REALTIME));
	record(24, bpf_timer_set_callback(&c->timer, on_fire));
	record(25, bpf_timer_start(&c->timer, 1, 1));		// absolute time 1 ns: long past, fires at once (R15)

	// R15: start on an armed timer replaces the expiry (10 s, then 1 ms: fires once, soon).
	record(30, bpf_timer_init(&d->timer, &timers, CLOCK_MONOTONIC));
	record(31, bpf_timer_set_callback(&d->timer, rearm_once));
	record(32, bpf_timer_start(&d->timer, 10000000000ULL, 0));
	record(33, bpf_timer_start(&d->timer, 1000000, 0));

	// R26: deleting a hash element frees its timer; the re-inserted key starts uninitialized.
	struct elem fresh = {};
	record(34, bpf_map_update_elem(&hashed, &k0, &fresh, BPF_ANY));
	struct elem *h = bpf_map_lookup_elem(&hashed, &k0);
	if (!h)
		return 2;
	record(35, bpf_timer_init(&h->timer, &hashed, CLOCK_MONOTONIC));
	record(36, bpf_timer_set_callback(&h->timer, on_fire));
	record(37, bpf_timer_start(&h->timer, 5000000000ULL, 0));
	record(38, bpf_map_delete_elem(&hashed, &k0));
	record(39, bpf_map_update_elem(&hashed, &k0, &fresh, BPF_ANY));
	h = bpf_map_lookup_elem(&hashed, &k0);
	if (!h)
		return 3;
	record(60, bpf_timer_cancel(&h->timer));			// the new element's timer: -EINVAL
	record(61, bpf_timer_init(&h->timer, &hashed, CLOCK_MONOTONIC));
	return 0;
}

// Run after the timers had time to fire: what is left armed, and the state cancel reports (R16, R21).
SEC("syscall")
int probe_after(void *ctx)
{
	__u32 k0 = 0, k1 = 1;
	struct elem *a = bpf_map_lookup_elem(&timers, &k0);
	struct elem *b = bpf_map_lookup_elem(&timers, &k1);
	if (!a || !b)
		return 1;
	record(55, bpf_timer_cancel(&a->timer));			// fired already: 0
	record(56, bpf_timer_cancel(&b->timer));			// negative time, still armed: 1
	record(57, bpf_timer_start(&a->timer, 1000, 0));		// the cancel dropped the callback: -EINVAL
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
