// SPDX-License-Identifier: GPL-2.0
// Real-world shape: an XDP forwarder that asks the kernel's FIB for the next hop and checks the MTU before growing the
// packet, falling back to the stack when the host does not forward. Rebuild with ./build.sh (clang-19).
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 12);
	__type(key, __u32);
	__type(value, __s64);
} results SEC(".maps");

static void record(__u32 slot, __s64 value)
{
	__s64 *r = bpf_map_lookup_elem(&results, &slot);
	if (r)
		*r = value;
}

SEC("xdp")
int forward(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct iphdr *ip = data + ETH_HLEN;
	if ((void *)(ip + 1) > data_end)
		return XDP_PASS;

	struct bpf_fib_lookup fib = {};
	fib.family = 2;
	fib.l4_protocol = ip->protocol;
	fib.tot_len = bpf_ntohs(ip->tot_len);
	fib.ifindex = ctx->ingress_ifindex;
	fib.ipv4_src = ip->saddr;
	fib.ipv4_dst = ip->daddr;
	long rc = bpf_fib_lookup(ctx, &fib, sizeof(fib), 0);
	record(0, rc);
	record(1, fib.ifindex);
	fib.ifindex = 4242;
	record(2, bpf_fib_lookup(ctx, &fib, sizeof(fib), 0));
	fib.family = 3;
	record(3, bpf_fib_lookup(ctx, &fib, sizeof(fib), 0));

	__u32 mtu = 0;
	record(4, bpf_check_mtu(ctx, 0, &mtu, 0, 0));
	record(5, mtu);
	record(6, bpf_check_mtu(ctx, 0, &mtu, 65500, 0));
	record(7, bpf_xdp_get_buff_len(ctx));
	record(8, bpf_xdp_adjust_tail(ctx, 16));
	record(9, bpf_xdp_get_buff_len(ctx));
	if (rc == BPF_FIB_LKUP_RET_SUCCESS)
		return bpf_redirect(fib.ifindex, 0);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
