// SPDX-License-Identifier: (MIT OR GPL-2.0)
// tc_classifier.c — a tc (cls_bpf, direct-action) program that marks and
// prioritizes packets by IPv4 DSCP.
//
// Demonstrates: SEC("tc") with struct __sk_buff, direct packet access through
// skb->data/data_end, writing skb->mark and skb->priority, and tc verdicts:
// TC_ACT_SHOT for IPv4 packets with DSCP 8 (CS1, "scavenger" in this example),
// TC_ACT_OK otherwise.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define MARK_BASE 0x5000	// mark = MARK_BASE | DSCP

SEC("tc")
int classify_dscp(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	__u8 dscp;

	if (skb->protocol != bpf_htons(ETH_P_IP))
		return TC_ACT_OK;
	if ((void *)(ip + 1) > data_end)
		return TC_ACT_OK;

	dscp = ip->tos >> 2;
	if (dscp == 8)
		return TC_ACT_SHOT;
	skb->mark = MARK_BASE | dscp;
	skb->priority = dscp >> 3;	// class selector 0..7
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
