// SPDX-License-Identifier: GPL-2.0
// timer_bench.c — the kernel side of bench/timers.sh: what Linux's bpf_timer costs on this machine.
//
// arm_init:      bpf_timer_init of arm_map's timer (run once first).
// arm_cancel:    ARM_CANCEL_LOOPS x (bpf_timer_set_callback + bpf_timer_start(1 s) + bpf_timer_cancel) on one
//                initialized timer, inside bpf_loop. Timed by BPF_PROG_TEST_RUN (repeat); cancel unregisters the
//                callback (spec R17), so each round registers it again, as SharpBpf's benchmark does.
// loop_baseline: the same loop with the map lookup but no timer calls, subtracted from arm_cancel.
// start_periodic: a 1 ms periodic timer re-armed with BPF_F_TIMER_ABS at expected + 1 ms; each callback stores
//                bpf_ktime_get_ns() - expected into periodic_lateness[n % MAX_SAMPLES], PERIODIC_FIRES times.
// init_many:     bpf_timer_init of many_map's MANY_TIMERS timers, over as many runs as it takes (see init_many).
// start_many:    all MANY_TIMERS timers armed in one run (absolute deadlines 100 us apart over 1 s from 50 ms on,
//                in a scrambled order); each callback stores its own lateness in its element.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define CLOCK_MONOTONIC 1
#ifndef BPF_F_TIMER_ABS
#define BPF_F_TIMER_ABS (1ULL << 0)	/* Linux 6.7+; the distribution's uapi headers predate it */
#endif
#define ARM_CANCEL_LOOPS 1000
#define PERIOD_NS 1000000ULL
#define PERIODIC_FIRES 2000
#define MAX_SAMPLES 4096
#define MANY_TIMERS 10000
#define MANY_SPACING_NS 100000ULL
#define MANY_DELAY_NS 50000000ULL

struct arm_elem {
	__u64 pad;
	struct bpf_timer timer;
};

struct periodic_elem {
	struct bpf_timer timer;
	__u64 expected;
	__u64 fired;
	__u64 limit;
};

struct many_elem {
	struct bpf_timer timer;
	__u64 expected;
	__u64 lateness;
	__u64 fired;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct arm_elem);
} arm_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct periodic_elem);
} periodic_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, MAX_SAMPLES);
	__type(key, __u32);
	__type(value, __u64);
} periodic_lateness SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, MANY_TIMERS);
	__type(key, __u32);
	__type(value, struct many_elem);
} many_map SEC(".maps");

// Progress of init_many across runs: the next element to initialize and the last error.
struct many_state {
	__u32 next;
	__s32 last_error;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct many_state);
} many_progress SEC(".maps");

static int noop_cb(void *map, __u32 *key, struct arm_elem *elem)
{
	return 0;
}

SEC("xdp")
int arm_init(struct xdp_md *ctx)
{
	__u32 zero = 0;
	struct arm_elem *elem = bpf_map_lookup_elem(&arm_map, &zero);

	if (!elem)
		return XDP_ABORTED;
	return bpf_timer_init(&elem->timer, &arm_map, CLOCK_MONOTONIC) == 0 ? XDP_PASS : XDP_DROP;
}

static long arm_cancel_step(__u64 index, void *ctx)
{
	__u32 zero = 0;
	struct arm_elem *elem = bpf_map_lookup_elem(&arm_map, &zero);

	if (!elem)
		return 1;
	bpf_timer_set_callback(&elem->timer, noop_cb);
	bpf_timer_start(&elem->timer, 1000000000ULL, 0);
	// A changing value in the loop's stack context would keep the verifier from converging: count in the map.
	if (bpf_timer_cancel(&elem->timer) != 1)
		elem->pad++;
	return 0;
}

SEC("xdp")
int arm_cancel(struct xdp_md *ctx)
{
	return bpf_loop(ARM_CANCEL_LOOPS, arm_cancel_step, NULL, 0) == ARM_CANCEL_LOOPS ? XDP_PASS : XDP_DROP;
}

static long baseline_step(__u64 index, void *ctx)
{
	__u32 zero = 0;
	struct arm_elem *elem = bpf_map_lookup_elem(&arm_map, &zero);

	if (!elem || elem->pad == 0xdeadbeef)
		return 1;
	return 0;
}

SEC("xdp")
int loop_baseline(struct xdp_md *ctx)
{
	return bpf_loop(ARM_CANCEL_LOOPS, baseline_step, NULL, 0) == ARM_CANCEL_LOOPS ? XDP_PASS : XDP_DROP;
}

static int periodic_cb(void *map, __u32 *key, struct periodic_elem *elem)
{
	__u64 now = bpf_ktime_get_ns();
	__u64 fired = elem->fired;
	__u32 slot = fired % MAX_SAMPLES;
	__u64 *sample = bpf_map_lookup_elem(&periodic_lateness, &slot);

	if (sample)
		*sample = now - elem->expected;
	elem->fired = fired + 1;
	if (fired + 1 < elem->limit) {
		elem->expected += PERIOD_NS;
		bpf_timer_start(&elem->timer, elem->expected, BPF_F_TIMER_ABS);
	}
	return 0;
}

SEC("xdp")
int start_periodic(struct xdp_md *ctx)
{
	__u32 zero = 0;
	struct periodic_elem *elem = bpf_map_lookup_elem(&periodic_map, &zero);

	if (!elem)
		return XDP_ABORTED;
	if (bpf_timer_init(&elem->timer, &periodic_map, CLOCK_MONOTONIC) != 0)
		return XDP_DROP;
	bpf_timer_set_callback(&elem->timer, periodic_cb);
	elem->fired = 0;
	elem->limit = PERIODIC_FIRES;
	elem->expected = bpf_ktime_get_ns() + PERIOD_NS;
	bpf_timer_start(&elem->timer, elem->expected, BPF_F_TIMER_ABS);
	return XDP_PASS;
}

static int many_cb(void *map, __u32 *key, struct many_elem *elem)
{
	elem->lateness = bpf_ktime_get_ns() - elem->expected;
	elem->fired = 1;
	return 0;
}

static long init_many_step(__u64 iteration, void *ctx)
{
	__u32 zero = 0;
	struct many_state *state = bpf_map_lookup_elem(&many_progress, &zero);
	__u32 index;
	struct many_elem *elem;
	long err;

	if (!state || state->next >= MANY_TIMERS)
		return 1;
	index = state->next;
	elem = bpf_map_lookup_elem(&many_map, &index);
	if (!elem)
		return 1;
	err = bpf_timer_init(&elem->timer, &many_map, CLOCK_MONOTONIC);
	if (err != 0 && err != -16 /* -EBUSY: already initialized */) {
		state->last_error = err;
		return 1;
	}
	state->next = index + 1;
	return 0;
}

// Initializes as many of the remaining timers as it can. On Linux 6.18 bpf_timer_init fails with -ENOMEM after
// about 160 initializations in a row (its allocation may neither sleep nor spin), so user space runs this, pausing
// between runs, until many_progress.next reaches MANY_TIMERS.
SEC("syscall")
int init_many(void *ctx)
{
	bpf_loop(MANY_TIMERS, init_many_step, NULL, 0);
	return 0;
}

static long arm_many_step(__u64 index, void *ctx)
{
	__u32 key = index;
	struct many_elem *elem = bpf_map_lookup_elem(&many_map, &key);

	if (!elem)
		return 1;
	bpf_timer_set_callback(&elem->timer, many_cb);
	// 7919 is prime: index -> index * 7919 % MANY_TIMERS is a permutation, so arming order is not deadline order.
	elem->expected = *(__u64 *)ctx + (index * 7919ULL % MANY_TIMERS) * MANY_SPACING_NS;
	elem->lateness = 0;
	elem->fired = 0;
	bpf_timer_start(&elem->timer, elem->expected, BPF_F_TIMER_ABS);
	return 0;
}

// Arms all MANY_TIMERS initialized timers in one run.
SEC("xdp")
int start_many(struct xdp_md *ctx)
{
	__u64 base = bpf_ktime_get_ns() + MANY_DELAY_NS;

	return bpf_loop(MANY_TIMERS, arm_many_step, &base, 0) == MANY_TIMERS ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
