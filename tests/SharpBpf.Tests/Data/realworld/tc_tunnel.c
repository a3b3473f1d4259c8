// SPDX-License-Identifier: GPL-2.0
// Real-world shape: tc IP-in-IP / UDP encapsulation and decapsulation with bpf_skb_adjust_room, header rewrites with
// bpf_skb_store_bytes and a checksum computed with bpf_csum_diff, tunnel metadata for a collect_md device, and
// packet resizing (change_tail/head, change_proto). Results go to a map. Rebuild with ./build.sh (clang-19).
#include <stddef.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __s64);
} results SEC(".maps");

static void record(__u32 slot, __s64 value)
{
	__s64 *r = bpf_map_lookup_elem(&results, &slot);
	if (r)
		*r = value;
}

SEC("tc")
int encap_ipip(struct __sk_buff *skb)
{
	struct iphdr outer = {};
	__u8 first;
	if (bpf_skb_load_bytes(skb, ETH_HLEN, &first, 1) || (first >> 4) != 4)
		return TC_ACT_OK;
	long err = bpf_skb_adjust_room(skb, sizeof(outer), BPF_ADJ_ROOM_MAC, BPF_F_ADJ_ROOM_ENCAP_L3_IPV4);
	record(0, err);
	if (err)
		return TC_ACT_SHOT;
	outer.version = 4;
	outer.ihl = 5;
	outer.ttl = 64;
	outer.protocol = IPPROTO_IPIP;
	outer.tot_len = bpf_htons(skb->len - ETH_HLEN);
	outer.saddr = bpf_htonl(0xc0a80001);
	outer.daddr = bpf_htonl(0xc0a80002);
	outer.check = ~bpf_csum_diff(0, 0, (__be32 *)&outer, sizeof(outer), 0) & 0xffff;
	record(1, bpf_skb_store_bytes(skb, ETH_HLEN, &outer, sizeof(outer), 0));
	record(2, skb->len);
	/* A second encapsulation of an encapsulated skb is refused. */
	record(3, bpf_skb_adjust_room(skb, 8, BPF_ADJ_ROOM_MAC, BPF_F_ADJ_ROOM_ENCAP_L3_IPV4 | BPF_F_ADJ_ROOM_ENCAP_L4_UDP));

	struct bpf_tunnel_key key = {};
	key.tunnel_id = 77;
	key.remote_ipv4 = 0xc0a80002;
	key.tunnel_ttl = 64;
	record(4, bpf_skb_set_tunnel_key(skb, &key, sizeof(key), BPF_F_ZERO_CSUM_TX));
	__u32 opt[2] = {0x01020304, 0x05060708};
	record(5, bpf_skb_set_tunnel_opt(skb, opt, sizeof(opt)));
	__builtin_memset(&key, 0, sizeof(key));
	record(6, bpf_skb_get_tunnel_key(skb, &key, sizeof(key), 0));
	record(7, ((__s64)key.tunnel_id << 32) | key.local_ipv4);
	record(8, bpf_skb_get_tunnel_opt(skb, opt, sizeof(opt)));
	record(9, opt[1]);
	return TC_ACT_OK;
}

SEC("tc")
int decap_ipip(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct iphdr *outer = data + ETH_HLEN;
	if ((void *)(outer + 1) > data_end || outer->protocol != IPPROTO_IPIP)
		return TC_ACT_OK;
	long err = bpf_skb_adjust_room(skb, -(int)sizeof(struct iphdr), BPF_ADJ_ROOM_MAC, 0);
	record(10, err);
	record(11, skb->len);
	return err ? TC_ACT_SHOT : TC_ACT_OK;
}

SEC("tc")
int reshape(struct __sk_buff *skb)
{
	record(0, bpf_skb_pull_data(skb, skb->len));
	record(1, bpf_skb_change_tail(skb, skb->len + 10, 0));
	record(2, bpf_skb_change_head(skb, 4, 0));
	record(3, bpf_skb_change_tail(skb, 8, 0));
	record(4, bpf_skb_change_proto(skb, bpf_htons(ETH_P_IPV6), 0));
	record(5, skb->protocol);
	record(6, skb->len);
	record(7, bpf_skb_change_proto(skb, bpf_htons(ETH_P_IP), 0));
	record(8, bpf_skb_adjust_room(skb, 8, BPF_ADJ_ROOM_NET, 0));
	record(9, bpf_skb_adjust_room(skb, -8, BPF_ADJ_ROOM_NET, 0));
	record(10, bpf_csum_level(skb, BPF_CSUM_LEVEL_INC));
	record(11, bpf_csum_level(skb, BPF_CSUM_LEVEL_QUERY));
	record(12, bpf_csum_update(skb, 1));
	record(13, bpf_skb_vlan_pop(skb));
	__u32 mtu = 0;
	record(14, bpf_check_mtu(skb, 0, &mtu, 1500, 0));
	record(15, mtu);
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
