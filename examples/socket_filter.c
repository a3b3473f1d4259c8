// SPDX-License-Identifier: (MIT OR GPL-2.0)
// socket_filter.c — a socket filter that keeps only IPv4 UDP packets and
// truncates them to the first 64 bytes.
//
// Demonstrates: SEC("socket"), bpf_skb_load_bytes (socket filters see the
// packet from the network header on, and have no direct packet access), and
// the socket-filter return value: the number of bytes to keep, 0 to drop.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define SNAP_LENGTH 64

SEC("socket")
int keep_udp(struct __sk_buff *skb)
{
	__u8 protocol;

	if (skb->protocol != bpf_htons(ETH_P_IP))
		return 0;
	// Offset 0 is the IPv4 header here, not the Ethernet header.
	if (bpf_skb_load_bytes(skb, __builtin_offsetof(struct iphdr, protocol), &protocol, 1))
		return 0;
	if (protocol != IPPROTO_UDP)
		return 0;
	return skb->len < SNAP_LENGTH ? skb->len : SNAP_LENGTH;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
