// SPDX-License-Identifier: GPL-2.0
// bpf_get_current_comm's size is ARG_CONST_SIZE: zero is refused ("invalid zero-sized read").
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("syscall")
int comm_of_nothing(void *ctx)
{
	char name[16];
	volatile __u32 size = 0;
	return bpf_get_current_comm(name, size & 0);
}

char LICENSE[] SEC("license") = "GPL";
