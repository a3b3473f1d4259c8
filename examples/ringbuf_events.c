// SPDX-License-Identifier: (MIT OR GPL-2.0)
// ringbuf_events.c — send one event per packet to user space through a
// BPF ring buffer (XDP).
//
// Demonstrates: bpf_ringbuf_reserve + bpf_ringbuf_submit (zero-copy: the
// event is written in place), bpf_ringbuf_output (copy from the stack) for a
// second, smaller record kind, and counting events lost when the buffer is
// full. Every packet is passed.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

enum event_kind { EVENT_PACKET = 1, EVENT_RUNT = 2 };

struct packet_event {
	__u32 kind;		// EVENT_PACKET
	__u32 length;
	__u64 sequence;		// per-program counter, not a timestamp: runs stay reproducible
	__u16 ether_type;	// host byte order
	__u8 dst_mac[6];
};

struct runt_event {
	__u32 kind;		// EVENT_RUNT: shorter than an Ethernet header
	__u32 length;
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);	// bytes; a power of two and a multiple of the page size
} events SEC(".maps");

__u64 sequence;	// .bss
__u64 lost;	// .bss: reservations that failed

SEC("xdp")
int emit_events(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct packet_event *event;

	if ((void *)(eth + 1) > data_end) {
		struct runt_event runt = {
			.kind = EVENT_RUNT,
			.length = data_end - data,
		};

		if (bpf_ringbuf_output(&events, &runt, sizeof(runt), 0))
			lost++;
		return XDP_PASS;
	}

	event = bpf_ringbuf_reserve(&events, sizeof(*event), 0);
	if (!event) {
		lost++;
		return XDP_PASS;
	}
	event->kind = EVENT_PACKET;
	event->length = data_end - data;
	event->sequence = ++sequence;
	event->ether_type = bpf_ntohs(eth->h_proto);
	__builtin_memcpy(event->dst_mac, eth->h_dest, 6);
	bpf_ringbuf_submit(event, 0);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
