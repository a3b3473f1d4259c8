// SPDX-License-Identifier: GPL-2.0
// Wrong: the bpf_loop callback returns the helper's error code, which is not in [0, 1].
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define CLOCK_MONOTONIC 1
#define SLOTS 8

struct slot {
	struct bpf_timer timer;
	__u32 index;
	__u32 fired;
	__u64 delay;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SLOTS);
	__type(key, __u32);
	__type(value, struct slot);
} slots SEC(".maps");

struct arm_ctx {
	__u64 base_delay;
	__u32 armed;
	__u32 failed;
	__s64 last_error;
};

static int on_slot(void *map, __u32 *key, struct slot *s)
{
	s->fired++;
	return 0;
}

static int arm_one(__u32 index, struct arm_ctx *ctx)
{
	struct slot *s = bpf_map_lookup_elem(&slots, &index);
	long err;

	if (!s)
		return 1; /* stop the loop */
	s->index = index;
	s->delay = ctx->base_delay * (index + 1);
	err = bpf_timer_init(&s->timer, &slots, CLOCK_MONOTONIC);
	if (!err)
		err = bpf_timer_set_callback(&s->timer, on_slot);
	if (!err)
		err = bpf_timer_start(&s->timer, s->delay, 0);
	if (err) {
		ctx->failed++;
		return err;
	}
	ctx->armed++;
	return 0;
}

SEC("syscall")
int arm_all_slots(void *ctx)
{
	struct arm_ctx loop = { .base_delay = 100000 };
	long iterations = bpf_loop(SLOTS, arm_one, &loop, 0);

	if (iterations != SLOTS)
		return 100 + iterations;
	return loop.failed ? 200 + loop.failed : 0;
}

/* The loop stops early when the callback returns 1: here after half the slots. */
static int count_until_half(__u32 index, __u32 *seen)
{
	*seen += 1;
	return index + 1 >= SLOTS / 2;
}

SEC("syscall")
int loop_stops_early(void *ctx)
{
	__u32 seen = 0;
	long iterations = bpf_loop(SLOTS, count_until_half, &seen, 0);

	return iterations == SLOTS / 2 && seen == SLOTS / 2 ? 0 : 1;
}

char LICENSE[] SEC("license") = "GPL";
