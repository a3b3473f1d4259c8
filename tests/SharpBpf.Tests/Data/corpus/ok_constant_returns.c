// SPDX-License-Identifier: GPL-2.0
// Static __noinline helpers that always return the same constant. clang (-O2) propagates the constant into the
// callers and drops "r0 = 0" from the helper, so the subprogram exits with R0 unset; the kernel checks R0 only at
// the exit of a program or callback, never at a subprogram's. Also a tail call from a subprogram, after which R0
// is unset too.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define CLOCK_MONOTONIC 1

struct flow {
	struct bpf_timer timer;
	__u64 packets;
	__u64 expired;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, struct flow);
} flows SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u32);
} next_stage SEC(".maps");

static __noinline int count_packet(struct flow *f, __u64 by)
{
	f->packets += by;
	return 0;
}

static int on_expire(void *map, __u32 *key, struct flow *f)
{
	f->expired++;
	/* The callback calls the helper too; its own return must still be 0. */
	return count_packet(f, 0);
}

static __noinline int arm(struct flow *f)
{
	bpf_timer_init(&f->timer, &flows, CLOCK_MONOTONIC);
	bpf_timer_set_callback(&f->timer, on_expire);
	bpf_timer_start(&f->timer, 100000, 0);
	return 0;
}

static __noinline int to_next_stage(struct xdp_md *ctx)
{
	bpf_tail_call(ctx, &next_stage, 0);
	return XDP_PASS;
}

SEC("syscall")
int count_and_arm(void *ctx)
{
	__u32 key = 1;
	struct flow *f = bpf_map_lookup_elem(&flows, &key);

	if (!f)
		return 1;
	if (count_packet(f, 2))
		return 2;
	if (arm(f))
		return 3;
	return count_packet(f, 3);
}

SEC("xdp")
int first_stage(struct xdp_md *ctx)
{
	__u32 key = 2;
	struct flow *f = bpf_map_lookup_elem(&flows, &key);

	if (f)
		count_packet(f, 1);
	return to_next_stage(ctx);
}

char LICENSE[] SEC("license") = "GPL";
