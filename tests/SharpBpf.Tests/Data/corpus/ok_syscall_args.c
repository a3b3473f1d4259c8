// SPDX-License-Identifier: GPL-2.0
// A sleepable SEC("syscall") program configured through its context (the arguments userspace passes to
// BPF_PROG_TEST_RUN): it arms or cancels timers and writes results back into the context.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define CLOCK_MONOTONIC 1

struct args {
	__u32 slot;
	__u32 op; /* 0 arm, 1 cancel */
	__u64 delay_ns;
	__s64 result;
};

struct job {
	struct bpf_timer timer;
	__u64 fired;
	__u64 delay_ns;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, struct job);
} jobs SEC(".maps");

static int on_job(void *map, __u32 *key, struct job *j)
{
	j->fired++;
	return 0;
}

SEC("syscall")
int control(struct args *args)
{
	__u32 slot = args->slot;
	struct job *j = bpf_map_lookup_elem(&jobs, &slot);
	long err;

	if (!j) {
		args->result = -2;
		return 0;
	}
	err = bpf_timer_init(&j->timer, &jobs, CLOCK_MONOTONIC);
	if (err && err != -16)
		goto out;
	err = bpf_timer_set_callback(&j->timer, on_job);
	if (err)
		goto out;
	j->delay_ns = args->delay_ns;
	err = args->op == 0 ? bpf_timer_start(&j->timer, args->delay_ns, 0) : bpf_timer_cancel(&j->timer);
out:
	args->result = err;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
