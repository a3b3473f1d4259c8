/* Tail calls made from bpf-to-bpf subprograms. Measured on Linux 6.18: the target replaces only the
 * subprogram's frame; when it exits, control returns to the subprogram's caller with the target's r0.
 * A run makes at most 33 tail calls, however deep they are made. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

/* events: slot 0 = how many were recorded, slots 1.. = what, in order */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, __u64);
} events SEC(".maps");

static __always_inline int record(__u64 what)
{
	__u32 zero = 0;
	__u64 *count = bpf_map_lookup_elem(&events, &zero);
	if (!count)
		return 0;
	__u32 slot = (__u32)*count + 1;
	if (slot >= 256)
		return 0;
	*count += 1;
	__u64 *entry = bpf_map_lookup_elem(&events, &slot);
	if (entry)
		*entry = what;
	return slot;
}

int leaf(struct xdp_md *ctx);
int hop(struct xdp_md *ctx);
int deep_hop(struct xdp_md *ctx);

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__array(values, int (void *));
} jump SEC(".maps") = {
	.values = { [0] = (void *)&leaf, [1] = (void *)&hop, [2] = (void *)&deep_hop },
};

static __noinline int jump_from_sub(struct xdp_md *ctx, __u32 index)
{
	record(100 + index);
	bpf_tail_call(ctx, &jump, index);
	return 1000 + record(200 + index);
}

SEC("xdp")
int leaf(struct xdp_md *ctx)
{
	return record(300) + 30;
}

SEC("xdp")
int dispatcher(struct xdp_md *ctx)
{
	__u64 r6 = bpf_get_prandom_u32() | 1; /* something kept across the call */
	int result = jump_from_sub(ctx, 0);
	record(400 + result);
	int missing = jump_from_sub(ctx, 3);
	record(500 + missing);
	return result * 10000 + missing + (r6 ? 10 : 0);
}

/* hop: tail-calls itself from a subprogram until the run's 33 tail calls are used up */
SEC("xdp")
int hop(struct xdp_md *ctx)
{
	record(1);
	int r = jump_from_sub(ctx, 1);
	record(600 + r);
	return r + 1;
}

char _license[] SEC("license") = "GPL";

/* deep_hop: the tail call is made three calls deep, so every hop leaves three more frames below it */
static __noinline int third(struct xdp_md *ctx)
{
	volatile __u64 scratch[4] = { 3, 3, 3, 3 };
	int r = jump_from_sub(ctx, 2);
	return r + (int)scratch[1];
}

static __noinline int second(struct xdp_md *ctx)
{
	volatile __u64 scratch[2] = { 2, 2 };
	return third(ctx) + (int)scratch[0];
}

SEC("xdp")
int deep_hop(struct xdp_md *ctx)
{
	volatile __u32 marker = 7;
	record(2);
	int r = second(ctx);
	record(700 + r);
	return r + marker;
}
