// SPDX-License-Identifier: GPL-2.0
// Wrong: a timer in a global variable (.bss). C cannot name the .bss map itself, so bpf_timer_init gets the
// variable's address where the map belongs.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define CLOCK_MONOTONIC 1

struct bpf_timer housekeeping;
__u64 runs;
__u64 armed;

static int on_housekeeping(void *map, int *key, struct bpf_timer *timer)
{
	runs++;
	if (runs < 2)
		bpf_timer_start(timer, 100000, 0);
	return 0;
}

SEC("syscall")
int start_housekeeping(void *ctx)
{
	if (bpf_timer_init(&housekeeping, &housekeeping, CLOCK_MONOTONIC))
		return 1;
	if (bpf_timer_set_callback(&housekeeping, on_housekeeping))
		return 2;
	armed = 1;
	return bpf_timer_start(&housekeeping, 100000, 0) ? 3 : 0;
}

char LICENSE[] SEC("license") = "GPL";
