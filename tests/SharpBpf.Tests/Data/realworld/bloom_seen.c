// SPDX-License-Identifier: GPL-2.0
// Real-world shape: a bloom filter in front of slow work — the first packet of a source is "new", later ones are
// "repeat". Rebuild with ./build.sh (clang-19).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_BLOOM_FILTER);
	__uint(max_entries, 1024);
	__uint(map_extra, 3);
	__type(value, __u32);
} sources SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 3);
	__type(key, __u32);
	__type(value, __s64);
} verdicts SEC(".maps");

static __always_inline void bump(__u32 index)
{
	__s64 *count = bpf_map_lookup_elem(&verdicts, &index);
	if (count)
		__sync_fetch_and_add(count, 1);
}

SEC("xdp")
int classify(struct xdp_md *ctx)
{
	__u8 *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	if ((void *)(data + 30) > data_end)
		return XDP_ABORTED;
	__u32 source = *(__u32 *)(data + 26);
	if (bpf_map_peek_elem(&sources, &source) == 0) {
		bump(1);
		return XDP_DROP;
	}
	__s64 pushed = bpf_map_push_elem(&sources, &source, BPF_ANY);
	bump(pushed == 0 ? 0 : 2);
	/* A bad flag is refused the same way in both worlds. */
	__u32 index = 2;
	__s64 *last = bpf_map_lookup_elem(&verdicts, &index);
	if (last)
		*last += bpf_map_push_elem(&sources, &source, BPF_NOEXIST) == -22 ? 0 : 1000;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
