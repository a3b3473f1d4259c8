// SPDX-License-Identifier: GPL-2.0
// Accepted neighbour: a syscall program is sleepable, so it may call bpf_copy_from_user itself.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct args {
	__u64 user_address;
};

SEC("syscall")
int copy_user_word(struct args *ctx)
{
	__u64 copied = 0;
	bpf_copy_from_user(&copied, sizeof(copied), (void *)ctx->user_address);
	return copied ? 1 : 0;
}

char LICENSE[] SEC("license") = "GPL";
