// SPDX-License-Identifier: GPL-2.0
// Subprograms: a global (non-static, __noinline) function that looks up its slot and starts the timer, called from
// the main program; static functions with five arguments whose values are spilled across helper calls.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define CLOCK_MONOTONIC 1

struct job {
	struct bpf_timer timer;
	__u64 period;
	__u64 runs;
	__u64 checksum;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, struct job);
} jobs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u64);
} stats SEC(".maps");

static int on_job(void *map, __u32 *key, struct job *j)
{
	j->runs++;
	if (j->runs < 3)
		bpf_timer_start(&j->timer, j->period, 0);
	return 0;
}

static __noinline __u64 mix(__u64 a, __u64 b, __u64 c, __u64 d, __u64 e)
{
	__u32 k = (__u32)(a & 7);
	__u64 *slot = bpf_map_lookup_elem(&stats, &k);
	__u64 acc = a * 31 + b;

	/* a..e stay live across the helper call, so clang keeps them in callee-saved registers or on the stack. */
	acc ^= bpf_ktime_get_ns() & 0;
	acc = acc * 17 + c;
	acc = (acc << 3) ^ d;
	acc += e;
	if (slot)
		*slot += acc;
	return acc + a + b + c + d + e;
}

static __noinline int spill_heavy(__u32 a, __u32 b, __u32 c, __u32 d, struct job *j)
{
	volatile __u64 scratch[6] = { a, b, c, d, 0, 0 };
	__u64 sum = 0;
	int i;

	scratch[4] = j->period;
	scratch[5] = mix(a, b, c, d, j->period);
	for (i = 0; i < 6; i++)
		sum += scratch[i];
	j->checksum = sum;
	return 0;
}

__noinline int start_job(__u32 index, __u64 period)
{
	struct job *j = bpf_map_lookup_elem(&jobs, &index);

	if (!j)
		return -1;
	j->period = period;
	if (bpf_timer_init(&j->timer, &jobs, CLOCK_MONOTONIC))
		return -2;
	if (bpf_timer_set_callback(&j->timer, on_job))
		return -3;
	if (spill_heavy(index, index + 1, index + 2, index + 3, j))
		return -4;
	return bpf_timer_start(&j->timer, period, 0);
}

SEC("syscall")
int schedule_jobs(void *ctx)
{
	int err = start_job(0, 100000);

	if (err)
		return 10 - err;
	err = start_job(3, 250000);
	if (err)
		return 20 - err;
	/* Out of range: the global function answers -1 and the program goes on. */
	return start_job(9, 1) == -1 ? 0 : 30;
}

char LICENSE[] SEC("license") = "GPL";
