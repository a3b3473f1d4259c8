// SPDX-License-Identifier: GPL-2.0
// rate_limiter.c — a per-source rate limiter for UDP datagrams, the program of the embedded host example
// (examples/RateLimitedEcho).
//
// Each IPv4 source gets an entry holding a bpf_timer and a packet count. The first packet of a window arms the
// source's timer for window_ns; every packet counts; past max_per_window packets in the window the datagram is
// dropped. When the timer fires its callback closes the window (count back to 0), so the source may send again.
// The timer runs on the host's real clock when the host loads the object with SystemClock.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define CLOCK_MONOTONIC 1

struct window {
	struct bpf_timer reset;
	__u32 count;		// datagrams in the current window
	__u32 open;		// 1 while the window's timer is armed
	__u64 dropped;		// datagrams refused, over all windows
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __be32);	// the source address
	__type(value, struct window);
} windows SEC(".maps");

const volatile __u32 max_per_window = 5;
const volatile __u64 window_ns = 200ULL * 1000 * 1000;	// 200 ms

static int close_window(void *map, __be32 *source, struct window *w)
{
	w->count = 0;
	w->open = 0;
	return 0;
}

SEC("xdp")
int limit_sources(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	struct window *w;
	__be32 source;

	if ((void *)(ip + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP) || ip->protocol != IPPROTO_UDP)
		return XDP_PASS;
	source = ip->saddr;
	w = bpf_map_lookup_elem(&windows, &source);
	if (!w) {
		struct window fresh = {};

		bpf_map_update_elem(&windows, &source, &fresh, BPF_NOEXIST);
		w = bpf_map_lookup_elem(&windows, &source);
		if (!w)
			return XDP_DROP;
		bpf_timer_init(&w->reset, &windows, CLOCK_MONOTONIC);
		bpf_timer_set_callback(&w->reset, close_window);
	}
	if (!w->open) {
		w->open = 1;
		bpf_timer_start(&w->reset, window_ns, 0);
	}
	if (++w->count > max_per_window) {
		w->dropped++;
		return XDP_DROP;
	}
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
