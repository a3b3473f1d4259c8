// SPDX-License-Identifier: GPL-2.0
// Real-world shape: an XDP IPv4 blocklist. User space loads prefixes into an LPM trie; the program drops packets
// whose source address falls in one (counting per rule), and records each passing source's /24 in a second trie
// it fills itself. Rebuild with ./build.sh (clang-19).
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct ipv4_prefix {
	__u32 prefixlen;
	__u8 addr[4];
};

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 64);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct ipv4_prefix);
	__type(value, __u32);
} blocklist SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 4);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct ipv4_prefix);
	__type(value, __u64);
} seen_networks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u64);
} drops_by_rule SEC(".maps");

/* Last result of adding to seen_networks (0, -EEXIST or -ENOSPC), so both worlds' errno are compared. */
__s64 last_learn_result = 1;

SEC("xdp")
int lpm_filter(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	if ((void *)(eth + 1) > data_end)
		return XDP_ABORTED;
	if (eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	struct iphdr *ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > data_end)
		return XDP_ABORTED;

	struct ipv4_prefix key = { .prefixlen = 32 };
	__builtin_memcpy(key.addr, &ip->saddr, 4);
	__u32 *rule = bpf_map_lookup_elem(&blocklist, &key);
	if (rule) {
		__u32 id = *rule;
		__u64 *drops = bpf_map_lookup_elem(&drops_by_rule, &id);
		if (drops) {
			__sync_fetch_and_add(drops, 1);
		} else {
			__u64 one = 1;
			bpf_map_update_elem(&drops_by_rule, &id, &one, BPF_NOEXIST);
		}
		/* Mark the dropped packet so data_out shows which rule matched. */
		ip->tos = (__u8)id;
		return XDP_DROP;
	}

	key.prefixlen = 24;
	key.addr[3] = 0xff; /* bits past the prefix: stored as given, ignored when matching */
	__u64 *count = bpf_map_lookup_elem(&seen_networks, &key);
	if (count) {
		__sync_fetch_and_add(count, 1);
		last_learn_result = bpf_map_update_elem(&seen_networks, &key, count, BPF_NOEXIST);
	} else {
		__u64 one = 1;
		last_learn_result = bpf_map_update_elem(&seen_networks, &key, &one, BPF_NOEXIST);
	}
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
