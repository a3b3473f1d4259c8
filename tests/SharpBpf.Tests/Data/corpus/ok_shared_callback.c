// SPDX-License-Identifier: GPL-2.0
// One callback serving timers of two maps with different layouts (the timer nested in a struct at a non-zero
// offset in one); a static subprogram that takes a map value pointer and arms its timer; a callback that calls
// bpf_loop and bpf_for_each_map_elem on its own map and uses its key pointer as the key into another map;
// atomics (xchg, cmpxchg), a jittered delay and CLOCK_BOOTTIME.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define CLOCK_BOOTTIME 7

struct sched {
	__u32 gen;
	__u32 pad;
	struct bpf_timer timer;
};

struct wide {
	__u64 hits;
	__u64 history[4];
	struct sched s;
	__u64 last;
};

struct narrow {
	struct sched s;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, struct wide);
} wides SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, struct narrow);
} narrows SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u64);
} fires SEC(".maps");

struct visit {
	__u32 seen;
	__u32 sum;
};

static int count_step(__u32 i, struct visit *v)
{
	v->sum += i;
	return 0;
}

static int count_elem(void *map, __u32 *key, void *value, struct visit *v)
{
	v->seen++;
	return 0;
}

/* Shared by both maps: the verifier checks it once per map it is registered for. */
static int on_fire(void *map, __u32 *key, struct sched *s)
{
	struct visit v = {};
	__u64 one = 1, *n;

	__sync_fetch_and_add(&s->gen, 1);
	bpf_loop(4, count_step, &v, 0);
	bpf_for_each_map_elem(map, count_elem, &v, 0);
	n = bpf_map_lookup_elem(&fires, key);
	if (n)
		__sync_fetch_and_add(n, v.seen * 100 + v.sum);
	else
		bpf_map_update_elem(&fires, key, &one, BPF_NOEXIST);
	return 0;
}

static __noinline int arm_sched(struct sched *s, void *map, __u64 delay)
{
	long err = bpf_timer_init(&s->timer, map, CLOCK_BOOTTIME);

	if (err && err != -16 /* -EBUSY: already initialised */)
		return 1;
	if (bpf_timer_set_callback(&s->timer, on_fire))
		return 2;
	return bpf_timer_start(&s->timer, delay, 0) ? 3 : 0;
}

SEC("syscall")
int arm_both(void *ctx)
{
	__u32 key = 2;
	struct wide fresh = {}, *w;
	struct narrow *n;
	__u64 jitter = bpf_get_prandom_u32() & 0xff;
	__u64 old;
	int idx, err;

	if (bpf_map_update_elem(&wides, &key, &fresh, BPF_ANY))
		return 1;
	w = bpf_map_lookup_elem(&wides, &key);
	if (!w)
		return 2;
	/* The jitter only moves the deadline; what lands in the map does not depend on it. */
	idx = (key + jitter / 256) & 3;
	w->history[idx] = key;
	old = __sync_lock_test_and_set(&w->last, 5);
	__sync_val_compare_and_swap(&w->hits, old, 9);
	err = arm_sched(&w->s, &wides, 100000 + jitter);
	if (err)
		return 10 + err;

	n = bpf_map_lookup_elem(&narrows, &key);
	if (!n)
		return 3;
	err = arm_sched(&n->s, &narrows, 150000);
	return err ? 20 + err : 0;
}

char LICENSE[] SEC("license") = "GPL";
