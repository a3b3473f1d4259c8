// SPDX-License-Identifier: GPL-2.0
// Real-world shape: a tc load balancer that rewrites the destination address and port of UDP flows to a backend,
// fixing the IPv4 and UDP checksums with bpf_l3/l4_csum_replace, tags the flow (set_hash, vlan push, ECN), and
// counts per backend. Rebuild with ./build.sh (clang-19).
#include <stddef.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct backend {
	__u32 addr;
	__u16 port;
	__u16 vlan;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, struct backend);
} backends SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

#define IP_CSUM_OFF (ETH_HLEN + offsetof(struct iphdr, check))
#define IP_DST_OFF (ETH_HLEN + offsetof(struct iphdr, daddr))
#define UDP_CSUM_OFF (ETH_HLEN + sizeof(struct iphdr) + offsetof(struct udphdr, check))
#define UDP_DPORT_OFF (ETH_HLEN + sizeof(struct iphdr) + offsetof(struct udphdr, dest))

static void count(__u32 slot, __u64 by)
{
	__u64 *c = bpf_map_lookup_elem(&counters, &slot);
	if (c)
		*c += by;
}

SEC("tc")
int balance(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = data + ETH_HLEN;
	struct udphdr *udp = data + ETH_HLEN + sizeof(*ip);
	if ((void *)(udp + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP) || ip->protocol != IPPROTO_UDP)
		return TC_ACT_OK;

	__u32 slot = bpf_ntohl(ip->saddr) & 3;
	__be32 old_addr = ip->daddr;
	__be16 old_port = udp->dest;
	struct backend *b = bpf_map_lookup_elem(&backends, &slot);
	if (!b || !b->addr)
		return TC_ACT_SHOT;
	__be32 new_addr = bpf_htonl(b->addr);
	__be16 new_port = bpf_htons(b->port);

	count(slot, 1);
	count(4, bpf_l4_csum_replace(skb, UDP_CSUM_OFF, old_addr, new_addr, BPF_F_PSEUDO_HDR | BPF_F_MARK_MANGLED_0 | sizeof(new_addr)) == 0);
	count(5, bpf_l4_csum_replace(skb, UDP_CSUM_OFF, old_port, new_port, BPF_F_MARK_MANGLED_0 | sizeof(new_port)) == 0);
	bpf_l3_csum_replace(skb, IP_CSUM_OFF, old_addr, new_addr, sizeof(new_addr));
	bpf_skb_store_bytes(skb, IP_DST_OFF, &new_addr, sizeof(new_addr), 0);
	bpf_skb_store_bytes(skb, UDP_DPORT_OFF, &new_port, sizeof(new_port), BPF_F_INVALIDATE_HASH);

	bpf_set_hash(skb, slot * 0x01000193u + 7);
	count(6, bpf_get_hash_recalc(skb));
	count(7, bpf_skb_ecn_set_ce(skb));
	if (b->vlan)
		bpf_skb_vlan_push(skb, bpf_htons(ETH_P_8021Q), b->vlan);
	if (b->vlan > 100) /* a second tag moves the first into the packet */
		bpf_skb_vlan_push(skb, bpf_htons(ETH_P_8021AD), b->vlan - 100);
	return slot == 3 ? bpf_redirect(1, 0) : TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
