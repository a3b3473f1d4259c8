// A packet stream must not show one packet's bytes to the next (PacketRunner reuses one frame). Each run reads the
// bytes the adjust helpers expose — 64 bytes of headroom, 64 of grown tail — and stamps them and the packet's first
// 64 bytes with 0xab. It returns XDP_PASS only when everything it read was zero, so a run that sees an earlier run's
// stamps drops. (bpf_xdp_adjust_meta: Linux 6.18 refuses it to a test-run XDP program here; the unit tests cover it.)
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define STAMP 0xababababababababULL

// Global data: a runner's regions start with the object's, before the context and the packet.
__u64 runs;

static __always_inline __u64 read_and_stamp(__u64 *words, int count)
{
	__u64 seen = 0;
	for (int i = 0; i < count; i++) {
		seen |= words[i];
		words[i] = STAMP;
	}
	return seen;
}

SEC("xdp")
int leftovers(struct xdp_md *ctx)
{
	__u64 seen = 0;
	runs++;
	if (bpf_xdp_adjust_head(ctx, -64))
		return XDP_ABORTED;
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	if (data + 128 > data_end)
		return XDP_ABORTED;
	seen |= read_and_stamp(data, 8);
	read_and_stamp(data + 64, 8);

	// The packet proper ends where it did; grow the tail by 64 and read what the growth exposed.
	__u32 before = (__u32)(data_end - data) & 0x7ff;
	if (bpf_xdp_adjust_tail(ctx, 64))
		return XDP_ABORTED;
	data = (void *)(long)ctx->data;
	data_end = (void *)(long)ctx->data_end;
	__u64 *tail = data + before;
	if ((void *)(tail + 8) > data_end)
		return XDP_ABORTED;
	seen |= read_and_stamp(tail, 8);

	// Shrink back, so the next packet's grown tail covers stamped bytes the helper must not have left.
	if (bpf_xdp_adjust_tail(ctx, -64))
		return XDP_ABORTED;
	return seen == 0 ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
