// SPDX-License-Identifier: GPL-2.0
// Real-world shape: an XDP counter that reports every packet to user space through a perf event array (the
// pre-ring-buffer way), with the first 14 packet bytes appended. Rebuild with ./build.sh (clang-19).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
	__uint(max_entries, 2);
} events SEC(".maps");

struct packet_event {
	__u64 sequence;
	__u32 length;
	__u32 pad;
};

__u64 sequence = 0;
/* What the last output returned: -ENOENT while no reader has opened a buffer. */
__s64 last_output_result = 1;
__s64 bad_flags_result = 1;
__s64 too_long_result = 1;

SEC("xdp")
int report(struct xdp_md *ctx)
{
	struct packet_event event = {
		.sequence = ++sequence,
		.length = ctx->data_end - ctx->data,
	};
	__u64 flags = BPF_F_CURRENT_CPU | ((__u64)14 << 32);
	last_output_result = bpf_perf_event_output(ctx, &events, flags, &event, sizeof(event));
	bad_flags_result = bpf_perf_event_output(ctx, &events, 1ULL << 63, &event, sizeof(event));
	too_long_result = bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU | (4000ULL << 32), &event, sizeof(event));
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
