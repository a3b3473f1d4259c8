// SPDX-License-Identifier: GPL-2.0
// Helpers factored into static functions the way libraries do: a function returns the looked-up map value
// (maybe NULL) to its caller, a function receives the callback to install as an argument, and the null check of a
// value happens on a copy that went through the stack.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define CLOCK_MONOTONIC 1

struct task {
	struct bpf_timer timer;
	__u64 kind;
	__u64 runs;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, struct task);
} tasks SEC(".maps");

static int on_cleanup(void *map, __u32 *key, struct task *t)
{
	t->runs += 1;
	return 0;
}

static int on_report(void *map, __u32 *key, struct task *t)
{
	t->runs += 100;
	return 0;
}

static __noinline struct task *get_or_create(__u32 id, __u64 kind)
{
	struct task fresh = { .kind = kind };

	bpf_map_update_elem(&tasks, &id, &fresh, BPF_NOEXIST);
	return bpf_map_lookup_elem(&tasks, &id);
}

static __noinline int install(struct task *t, void *callback, __u64 delay)
{
	if (bpf_timer_init(&t->timer, &tasks, CLOCK_MONOTONIC))
		return 1;
	if (bpf_timer_set_callback(&t->timer, callback))
		return 2;
	return bpf_timer_start(&t->timer, delay, 0) ? 3 : 0;
}

SEC("syscall")
int schedule(void *ctx)
{
	struct task *cleanup = get_or_create(1, 7);
	struct task *report;
	int err;

	if (!cleanup)
		return 10;
	err = install(cleanup, on_cleanup, 100000);
	if (err)
		return 10 + err;
	report = get_or_create(2, 8);
	if (!report)
		return 20;
	err = install(report, report->kind == 8 ? (void *)on_report : (void *)on_cleanup, 200000);
	return err ? 20 + err : 0;
}

char LICENSE[] SEC("license") = "GPL";
