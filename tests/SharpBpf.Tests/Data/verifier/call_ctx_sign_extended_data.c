// SPDX-License-Identifier: GPL-2.0
// xdp_md.data is a packet pointer: a sign-extending load of it is refused as a context access.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
SEC("xdp")
__attribute__((naked)) int load_data_signed(void)
{
	asm volatile("r2 = *(s32 *)(r1 + 0);"
		     "r0 = 2;"
		     "exit;");
}
char LICENSE[] SEC("license") = "GPL";
