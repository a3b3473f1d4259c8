// SPDX-License-Identifier: GPL-2.0
// A request timer and its retry timer in another element: when the request answers (its callback runs first) it
// cancels the retry element's timer; the retry callback would otherwise cancel the request.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define CLOCK_MONOTONIC 1

struct pending {
	struct bpf_timer timer;
	__u32 peer;
	__u32 fired;
	__s64 cancel_result;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, struct pending);
} pendings SEC(".maps");

static int on_pending(void *map, __u32 *key, struct pending *p)
{
	__u32 peer = p->peer;
	struct pending *other = bpf_map_lookup_elem(map, &peer);

	p->fired++;
	if (other)
		p->cancel_result = bpf_timer_cancel(&other->timer);
	return 0;
}

static int arm(__u32 key, __u32 peer, __u64 delay)
{
	struct pending *p = bpf_map_lookup_elem(&pendings, &key);

	if (!p)
		return 1;
	p->peer = peer;
	if (bpf_timer_init(&p->timer, &pendings, CLOCK_MONOTONIC))
		return 2;
	if (bpf_timer_set_callback(&p->timer, on_pending))
		return 3;
	return bpf_timer_start(&p->timer, delay, 0) ? 4 : 0;
}

SEC("syscall")
int send_request(void *ctx)
{
	int err = arm(0, 1, 5000000);

	if (err)
		return err;
	err = arm(1, 0, 30000000);
	if (err)
		return 10 + err;
	/* A pair where the peer is not armed: cancelling an initialised, idle timer. */
	err = arm(2, 3, 10000000);
	if (err)
		return 20 + err;
	{
		__u32 three = 3;
		struct pending *idle = bpf_map_lookup_elem(&pendings, &three);

		if (!idle || bpf_timer_init(&idle->timer, &pendings, CLOCK_MONOTONIC))
			return 30;
	}
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
