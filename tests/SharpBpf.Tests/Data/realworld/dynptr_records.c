// SPDX-License-Identifier: GPL-2.0
// Ring buffer records written through dynptrs, and a local dynptr over a map value: what each dynptr helper answers
// at its edges (out-of-range offsets, flags, a reservation that cannot fit, a NULL dynptr) goes into `results`.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __s64);
} results SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u8[32]);
} scratch SEC(".maps");

static void record(__u32 slot, __s64 value)
{
	bpf_map_update_elem(&results, &slot, &value, BPF_ANY);
}

/* One record per packet: its first 16 bytes (written with bpf_dynptr_write), then its length through a slice. */
SEC("xdp")
int record_packets(struct xdp_md *ctx)
{
	struct bpf_dynptr rec;
	__u8 head[16] = {};
	__u64 length = ctx->data_end - ctx->data;

	if (bpf_xdp_load_bytes(ctx, 0, head, sizeof(head)) < 0) {
		/* Too short: a record reserved and thrown away. */
		bpf_ringbuf_reserve_dynptr(&events, 24, 0, &rec);
		bpf_ringbuf_discard_dynptr(&rec, 0);
		return XDP_DROP;
	}
	if (bpf_ringbuf_reserve_dynptr(&events, 24, 0, &rec)) {
		bpf_ringbuf_discard_dynptr(&rec, 0);
		return XDP_ABORTED;
	}
	bpf_dynptr_write(&rec, 0, head, sizeof(head), 0);
	__u64 *tail = bpf_dynptr_data(&rec, 16, 8);
	if (tail)
		*tail = length;
	bpf_ringbuf_submit_dynptr(&rec, 0);
	return XDP_PASS;
}

/* The helpers' answers at their edges. */
SEC("xdp")
int dynptr_edges(struct xdp_md *ctx)
{
	struct bpf_dynptr local, rec;
	__u32 zero = 0;
	__u8 *mem = bpf_map_lookup_elem(&scratch, &zero);
	__u64 word = 0x1122334455667788ULL, back = 0;

	if (!mem)
		return XDP_ABORTED;
	record(0, bpf_dynptr_from_mem(mem, 32, 0, &local));
	record(1, bpf_dynptr_write(&local, 4, &word, 8, 0));
	record(2, bpf_dynptr_write(&local, 28, &word, 8, 0));
	record(3, bpf_dynptr_write(&local, 0, &word, 8, 1));
	record(4, bpf_dynptr_read(&back, 8, &local, 4, 0));
	record(5, back);
	record(6, bpf_dynptr_read(&back, 8, &local, 25, 0));
	record(7, bpf_dynptr_read(&back, 8, &local, 0, 2));
	record(8, bpf_dynptr_data(&local, 24, 16) == 0);
	record(9, bpf_dynptr_from_mem(mem, 32, 1, &local));
	record(10, bpf_dynptr_read(&back, 8, &local, 0, 0));
	/* A record larger than the ring cannot be reserved (-EINVAL in Linux 6.18), and the dynptr is NULL. */
	record(11, bpf_ringbuf_reserve_dynptr(&events, 8192, 0, &rec));
	record(12, bpf_dynptr_write(&rec, 0, &word, 8, 0));
	bpf_ringbuf_discard_dynptr(&rec, 0);
	/* Unknown flags: -EINVAL. */
	record(13, bpf_ringbuf_reserve_dynptr(&events, 8, 4, &rec));
	bpf_ringbuf_discard_dynptr(&rec, 0);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
