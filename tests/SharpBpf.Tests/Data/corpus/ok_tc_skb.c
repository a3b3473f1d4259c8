// SPDX-License-Identifier: GPL-2.0
// TC classifiers over __sk_buff: one reads context fields and copies the headers into a stack buffer with
// bpf_skb_load_bytes, classifies by the first bytes and marks the packet; one holds a timer per protocol.
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define CLOCK_MONOTONIC 1

struct proto_stats {
	struct bpf_timer report;
	__u64 packets;
	__u64 bytes;
	__u32 last_len;
	__u32 last_mark;
	__u32 reports;
	__u32 ifindex;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u16);
	__type(value, struct proto_stats);
} by_proto SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u8[64]);
} last_headers SEC(".maps");

static int on_report(void *map, __u16 *proto, struct proto_stats *s)
{
	s->reports++;
	return 0;
}

SEC("tc")
int classify(struct __sk_buff *skb)
{
	__u8 headers[64] = {};
	__u32 zero = 0, len = skb->len;
	__u8 *copy;
	__u16 proto;

	if (len < ETH_HLEN)
		return TC_ACT_SHOT;
	if (len > sizeof(headers))
		len = sizeof(headers);
	/* The length is variable but bounded: the kernel checks [1, 64] against the stack buffer. */
	if (bpf_skb_load_bytes(skb, 0, headers, len & 63 ? len & 63 : 1))
		return TC_ACT_SHOT;
	copy = bpf_map_lookup_elem(&last_headers, &zero);
	if (copy)
		__builtin_memcpy(copy, headers, sizeof(headers));
	proto = (headers[12] << 8) | headers[13];
	if (proto == ETH_P_ARP)
		skb->mark = 1;
	else if (proto == ETH_P_IP)
		skb->mark = 4 + (headers[23] & 0xff) % 4; /* the IPv4 protocol byte */
	else
		skb->mark = 2;
	skb->priority = skb->mark;
	return skb->mark == 2 ? TC_ACT_UNSPEC : TC_ACT_OK;
}

SEC("tc")
int proto_timers(struct __sk_buff *skb)
{
	__u16 proto = bpf_ntohs(skb->protocol);
	struct proto_stats *s = bpf_map_lookup_elem(&by_proto, &proto);

	if (!s) {
		struct proto_stats fresh = {};

		bpf_map_update_elem(&by_proto, &proto, &fresh, BPF_NOEXIST);
		s = bpf_map_lookup_elem(&by_proto, &proto);
		if (!s)
			return TC_ACT_SHOT;
		if (bpf_timer_init(&s->report, &by_proto, CLOCK_MONOTONIC))
			return TC_ACT_SHOT;
		bpf_timer_set_callback(&s->report, on_report);
	}
	s->packets++;
	s->bytes += skb->len;
	s->last_len = skb->len;
	s->last_mark = skb->mark;
	s->ifindex = skb->ifindex;
	bpf_timer_start(&s->report, 20000000, 0);
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
