// SPDX-License-Identifier: GPL-2.0
// Wrong: the bpf_loop callback needs its own 256-byte scratch buffer on top of the caller's 384 bytes; the kernel
// counts the callback's frame above its caller's, and the two do not fit in 512 bytes.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} sums SEC(".maps");

static int mix_round(__u32 index, void *ctx)
{
	volatile __u64 scratch[32];
	__u64 *sum = ctx;

	for (int i = 0; i < 32; i++)
		scratch[i] = index * i;
	*sum += scratch[index & 31];
	return 0;
}

SEC("syscall")
int mix_all(void *ctx)
{
	volatile __u64 table[48];
	__u64 sum = 0;
	__u32 zero = 0;
	__u64 *out;

	for (int i = 0; i < 48; i++)
		table[i] = i;
	bpf_loop(8, mix_round, &sum, 0);
	out = bpf_map_lookup_elem(&sums, &zero);
	if (out)
		*out = sum + table[sum & 31];
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
