// SPDX-License-Identifier: GPL-2.0
// global_lock.c — a loader test object: a bpf_spin_lock in a global variable (.bss), found by the kernel in
// the .bss map's DATASEC once libbpf has filled in the variable offsets.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

__u64 before;
struct bpf_spin_lock lock;
__u64 counter;

SEC("xdp")
int locked_count(struct xdp_md *ctx)
{
	bpf_spin_lock(&lock);
	counter++;
	bpf_spin_unlock(&lock);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
