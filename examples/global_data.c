// SPDX-License-Identifier: (MIT OR GPL-2.0)
// global_data.c — global variables in .data, .rodata and .bss (XDP).
//
// Demonstrates what libbpf turns into single-element array maps:
//   .rodata  `const volatile` configuration the loader may patch before load
//            (volatile keeps clang from folding the default into the code);
//   .data    initialized globals the program updates;
//   .bss     zero-initialized globals.
// The program drops packets shorter than config.min_length or longer than
// max_length, and keeps counts in globals that user space reads as maps.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct config {
	__u32 min_length;
	__u32 verdict_if_short;	// XDP_DROP by default
};

// .rodata: read-only for the program after load.
const volatile struct config config = {
	.min_length = 60,
	.verdict_if_short = XDP_DROP,
};
const volatile __u32 max_length = 1514;

// .data: initialized, writable.
__u64 packets_seen = 1000;	// starts at 1000 to show the initial value survives loading
__u32 last_length = 0xffffffff;

// .bss: zero-initialized, writable.
__u64 short_packets;
__u64 long_packets;
__u64 total_bytes;

SEC("xdp")
int check_length(struct xdp_md *ctx)
{
	__u32 length = ctx->data_end - ctx->data;

	__sync_fetch_and_add(&packets_seen, 1);
	__sync_fetch_and_add(&total_bytes, length);
	last_length = length;

	if (length < config.min_length) {
		__sync_fetch_and_add(&short_packets, 1);
		return config.verdict_if_short;
	}
	if (length > max_length) {
		__sync_fetch_and_add(&long_packets, 1);
		return XDP_DROP;
	}
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
