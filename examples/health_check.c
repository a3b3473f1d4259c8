// SPDX-License-Identifier: GPL-2.0
// health_check.c — a timer that re-arms itself every `interval_ns` and flips a
// health flag in a map (XDP).
//
// Demonstrates: a periodic bpf_timer (one-shot timers made periodic by
// calling bpf_timer_start from their own callback), timer state in an ARRAY
// value, and a callback that reads and writes the value it belongs to.
// The XDP program counts packets and arms the check on the first packet.
// Each check marks the link healthy if at least `min_packets` arrived since
// the previous check, unhealthy otherwise, and starts a new window.
// Every packet is passed.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define CLOCK_MONOTONIC 1

struct health {
	struct bpf_timer timer;
	__u32 healthy;		// 1 healthy, 0 unhealthy
	__u32 armed;		// set once the periodic check is running
	__u64 packets_in_window;
	__u64 checks;		// how many times the callback ran
	__u64 transitions;	// how many times `healthy` flipped
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct health);
} health_state SEC(".maps");

const volatile __u64 interval_ns = 100ULL * 1000 * 1000;	// 100 ms
const volatile __u64 min_packets = 1;

static int run_check(void *map, __u32 *key, struct health *state)
{
	__u32 healthy = state->packets_in_window >= min_packets;

	if (healthy != state->healthy) {
		state->healthy = healthy;
		state->transitions++;
	}
	state->packets_in_window = 0;
	state->checks++;
	// Re-arm: the timer fired, its callback is still registered.
	bpf_timer_start(&state->timer, interval_ns, 0);
	return 0;
}

SEC("xdp")
int count_and_check(struct xdp_md *ctx)
{
	__u32 zero = 0;
	struct health *state = bpf_map_lookup_elem(&health_state, &zero);

	if (!state)
		return XDP_PASS;
	__sync_fetch_and_add(&state->packets_in_window, 1);
	if (state->armed)
		return XDP_PASS;

	// Only the first packet gets here (init returns -EBUSY for later racers).
	if (bpf_timer_init(&state->timer, &health_state, CLOCK_MONOTONIC))
		return XDP_PASS;
	state->healthy = 1;	// healthy until a window proves otherwise
	state->armed = 1;
	bpf_timer_set_callback(&state->timer, run_check);
	bpf_timer_start(&state->timer, interval_ns, 0);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
