// SPDX-License-Identifier: GPL-2.0
// map_ops.c — map lookup/update loops for the map benchmarks (bench/MAPS.md).
//
// Each XDP program runs OPS iterations of bpf_loop; every callback does one map
// operation on key (index % ENTRIES). `empty_loop` does no map operation, so its
// time is the loop's own cost (the bpf_loop callback call) to subtract.
// The same object runs in SharpBpf and in the kernel (BPF_PROG_TEST_RUN), so the
// figures compare the same instructions on both sides.
// Not a test of map semantics: the differential tests do that.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define OPS 10000	// keep in sync with MapBenchmarks.OperationsPerRun
#define ENTRIES 256

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, ENTRIES);
	__type(key, __u32);
	__type(value, __u64);
} array_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, ENTRIES);
	__type(key, __u32);
	__type(value, __u64);
} hash_map SEC(".maps");

// Written after every run so no lookup result is dead.
__u64 checksum = 0;

struct loop_state {
	__u64 sum;
};

static long do_nothing(__u32 index, void *context)
{
	struct loop_state *state = context;

	state->sum += index;
	return 0;
}

static long lookup_array(__u32 index, void *context)
{
	struct loop_state *state = context;
	__u32 key = index % ENTRIES;
	__u64 *value = bpf_map_lookup_elem(&array_map, &key);

	if (value)
		state->sum += *value;
	return 0;
}

static long update_array(__u32 index, void *context)
{
	struct loop_state *state = context;
	__u32 key = index % ENTRIES;
	__u64 value = index;

	state->sum += bpf_map_update_elem(&array_map, &key, &value, BPF_ANY);
	return 0;
}

static long lookup_hash(__u32 index, void *context)
{
	struct loop_state *state = context;
	__u32 key = index % ENTRIES;
	__u64 *value = bpf_map_lookup_elem(&hash_map, &key);

	if (value)
		state->sum += *value;
	return 0;
}

static long update_hash(__u32 index, void *context)
{
	struct loop_state *state = context;
	__u32 key = index % ENTRIES;
	__u64 value = index;

	state->sum += bpf_map_update_elem(&hash_map, &key, &value, BPF_ANY);
	return 0;
}

// Same lookups on one key: SharpBpf's cost per lookup grows with the number of
// distinct values a run has touched, and these show the figure without that.
static long lookup_array_key0(__u32 index, void *context)
{
	struct loop_state *state = context;
	__u32 key = 0;
	__u64 *value = bpf_map_lookup_elem(&array_map, &key);

	if (value)
		state->sum += *value + index;
	return 0;
}

static long lookup_hash_key0(__u32 index, void *context)
{
	struct loop_state *state = context;
	__u32 key = 0;
	__u64 *value = bpf_map_lookup_elem(&hash_map, &key);

	if (value)
		state->sum += *value + index;
	return 0;
}

#define LOOP_PROGRAM(name, callback)				\
SEC("xdp")							\
int name(struct xdp_md *ctx)					\
{								\
	struct loop_state state = {};				\
								\
	bpf_loop(OPS, callback, &state, 0);			\
	checksum = state.sum;					\
	return XDP_PASS;					\
}

LOOP_PROGRAM(empty_loop, do_nothing)
LOOP_PROGRAM(array_lookup, lookup_array)
LOOP_PROGRAM(array_update, update_array)
LOOP_PROGRAM(hash_lookup, lookup_hash)
LOOP_PROGRAM(array_lookup_key0, lookup_array_key0)
LOOP_PROGRAM(hash_lookup_key0, lookup_hash_key0)
// Run hash_update once before hash_lookup: it fills every key, so the lookups hit.
LOOP_PROGRAM(hash_update, update_hash)

char LICENSE[] SEC("license") = "GPL";
