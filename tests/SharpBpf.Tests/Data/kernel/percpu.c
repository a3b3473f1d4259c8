// SPDX-License-Identifier: GPL-2.0
// Kernel-engine test object: a SEC("syscall") program whose context is a small struct the kernel copies
// back to user space, bumping one slot of a PERCPU_ARRAY of u64 and one of a PERCPU_ARRAY of u32 (whose
// per-CPU values user space sees rounded up to 8 bytes). Rebuild with ./build.sh (clang-19).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct bump_args {
	__u32 index;
	__u32 amount;
	__u64 result;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} percpu_totals SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u32);
} percpu_calls SEC(".maps");

/* percpu_totals[index] += amount on this CPU; args->result = the new value; returns this CPU's number. */
SEC("syscall")
int bump(struct bump_args *args)
{
	__u32 index = args->index;
	__u64 *total = bpf_map_lookup_elem(&percpu_totals, &index);
	if (!total)
		return -1;
	*total += args->amount;
	args->result = *total;

	__u32 *calls = bpf_map_lookup_elem(&percpu_calls, &index);
	if (calls)
		*calls += 1;
	return bpf_get_smp_processor_id();
}

char LICENSE[] SEC("license") = "GPL";
