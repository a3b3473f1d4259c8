// SPDX-License-Identifier: GPL-2.0
// sampler.c — a periodic sampler that folds per-interval counters into a
// history ring every `interval_ns` (XDP).
//
// Demonstrates: a self-re-arming bpf_timer whose callback touches another map
// (the history ARRAY), a ring index kept next to the timer, and the callback
// reading the counters the XDP program accumulates between samples.
// The XDP program counts packets and bytes into the current interval and
// arms the sampler on the first packet. Every packet is passed.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define CLOCK_MONOTONIC 1
#define HISTORY_SLOTS 8

struct sampler {
	struct bpf_timer timer;
	__u64 packets;		// current interval
	__u64 bytes;
	__u64 samples;		// intervals folded so far; slot = samples % HISTORY_SLOTS
	__u32 armed;
	__u32 pad;
};

struct sample {
	__u64 packets;
	__u64 bytes;
	__u64 sequence;		// 1-based sample number, 0 = never written
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct sampler);
} sampler_state SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, HISTORY_SLOTS);
	__type(key, __u32);
	__type(value, struct sample);
} history SEC(".maps");

const volatile __u64 interval_ns = 100ULL * 1000 * 1000;	// 100 ms

static int take_sample(void *map, __u32 *key, struct sampler *state)
{
	__u32 slot = state->samples % HISTORY_SLOTS;
	struct sample *entry = bpf_map_lookup_elem(&history, &slot);

	if (entry) {
		// Swap the counters out so packets counted meanwhile are not lost.
		entry->packets = __sync_lock_test_and_set(&state->packets, 0);
		entry->bytes = __sync_lock_test_and_set(&state->bytes, 0);
		entry->sequence = state->samples + 1;
	}
	state->samples++;
	bpf_timer_start(&state->timer, interval_ns, 0);
	return 0;
}

SEC("xdp")
int sample_traffic(struct xdp_md *ctx)
{
	__u32 zero = 0;
	struct sampler *state = bpf_map_lookup_elem(&sampler_state, &zero);

	if (!state)
		return XDP_PASS;
	__sync_fetch_and_add(&state->packets, 1);
	__sync_fetch_and_add(&state->bytes, ctx->data_end - ctx->data);
	if (state->armed)
		return XDP_PASS;
	if (bpf_timer_init(&state->timer, &sampler_state, CLOCK_MONOTONIC))
		return XDP_PASS;
	state->armed = 1;
	bpf_timer_set_callback(&state->timer, take_sample);
	bpf_timer_start(&state->timer, interval_ns, 0);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
