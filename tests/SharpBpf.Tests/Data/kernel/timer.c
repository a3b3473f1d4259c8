// SPDX-License-Identifier: GPL-2.0
// Kernel-engine test object: a bpf_timer in an ARRAY value whose callback counts its fires. `arm` inits
// (CLOCK_MONOTONIC), sets the callback and starts the timer with the delay given in its context; `init_only`
// returns bpf_timer_init's result, which shows -EBUSY on an initialized timer and -EPERM once user space
// holds no reference to the map. Rebuild with ./build.sh (clang-19).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define CLOCK_MONOTONIC 1
#define EBUSY 16

struct elem {
	__u64 armed_at;
	struct bpf_timer timer;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct elem);
} timers SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} fires SEC(".maps");

/* Used by no program: releasing the maps frees it entirely. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u32);
} orphan SEC(".maps");

struct arm_args {
	__u64 delay_ns;
};

static int on_fire(void *map, __u32 *key, struct elem *value)
{
	__u32 zero = 0;
	__u64 *count = bpf_map_lookup_elem(&fires, &zero);
	if (count)
		__sync_fetch_and_add(count, 1);
	return 0;
}

SEC("syscall")
int arm(struct arm_args *args)
{
	__u32 zero = 0;
	struct elem *e = bpf_map_lookup_elem(&timers, &zero);
	if (!e)
		return -2;
	long err = bpf_timer_init(&e->timer, &timers, CLOCK_MONOTONIC);
	if (err && err != -EBUSY)
		return err;
	err = bpf_timer_set_callback(&e->timer, on_fire);
	if (err)
		return err;
	e->armed_at = bpf_ktime_get_ns();
	return bpf_timer_start(&e->timer, args->delay_ns, 0);
}

SEC("syscall")
int init_only(void *ctx)
{
	__u32 zero = 0;
	struct elem *e = bpf_map_lookup_elem(&timers, &zero);
	if (!e)
		return -2;
	return bpf_timer_init(&e->timer, &timers, CLOCK_MONOTONIC);
}

char LICENSE[] SEC("license") = "GPL";
