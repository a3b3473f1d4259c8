// SPDX-License-Identifier: GPL-2.0
// R2: a per-CPU map cannot hold a bpf_timer; creating it fails with -EOPNOTSUPP (libbpf then retries without BTF,
// and the kernel's verifier complains instead: see spec R4).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct elem {
	struct bpf_timer timer;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} plain SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct elem);
} per_cpu_timers SEC(".maps");

SEC("syscall")
int touch(void *ctx)
{
	__u32 key = 0;
	return bpf_map_lookup_elem(&per_cpu_timers, &key) != 0;
}

char LICENSE[] SEC("license") = "GPL";
