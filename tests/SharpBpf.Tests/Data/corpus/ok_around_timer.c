// SPDX-License-Identifier: GPL-2.0
// Memory right next to the timer, handed to helpers and copied by hand: the fields before and after the bpf_timer
// are ordinary memory, only the timer's own 16 bytes are off limits. Also an uninitialised stack buffer filled by
// bpf_skb_load_bytes, a sub-range of a value filled by it, and a timer callback that arms a timer of another map.
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

#define CLOCK_MONOTONIC 1

struct counters {
	__u64 packets;
	__u64 bytes;
};

struct entry {
	struct counters before;
	struct bpf_timer timer;
	struct counters after;
	__u8 head[16];
};

struct follow_up {
	struct bpf_timer timer;
	__u64 fired;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, struct entry);
} entries SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, struct counters);
} archive SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct follow_up);
} follow_ups SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} trail SEC(".maps");

static int on_follow_up(void *map, __u32 *key, struct follow_up *f)
{
	f->fired++;
	return 0;
}

/* A callback arming a timer of another map, with another callback. */
static int on_entry(void *map, __u32 *key, struct entry *e)
{
	__u32 zero = 0;
	struct follow_up *f = bpf_map_lookup_elem(&follow_ups, &zero);

	e->after.packets++;
	bpf_map_update_elem(&archive, key, &e->after, BPF_ANY);
	if (!f)
		return 0;
	if (bpf_timer_init(&f->timer, &follow_ups, CLOCK_MONOTONIC) == 0)
		bpf_timer_set_callback(&f->timer, on_follow_up);
	bpf_timer_start(&f->timer, 100000, 0);
	return 0;
}

SEC("tc")
int account(struct __sk_buff *skb)
{
	__u32 key = 1, len = skb->len;
	struct entry *e = bpf_map_lookup_elem(&entries, &key);
	struct counters snapshot;
	__u8 raw[14];

	if (!e)
		return TC_ACT_OK;
	if (bpf_skb_load_bytes(skb, 0, raw, sizeof(raw)))
		return TC_ACT_SHOT;
	/* Into the value, past the timer. */
	if (bpf_skb_load_bytes(skb, 0, e->head, sizeof(e->head)))
		return TC_ACT_SHOT;
	e->before.packets++;
	e->before.bytes += len;
	e->after.bytes += raw[12];
	__builtin_memcpy(&snapshot, &e->before, sizeof(snapshot));
	bpf_map_update_elem(&archive, &key, &snapshot, BPF_ANY);
	bpf_map_update_elem(&archive, &len, &e->after, BPF_ANY);
	bpf_ringbuf_output(&trail, &e->after, sizeof(e->after), 0);
	if (bpf_timer_init(&e->timer, &entries, CLOCK_MONOTONIC) == 0)
		bpf_timer_set_callback(&e->timer, on_entry);
	bpf_timer_start(&e->timer, 20000000, 0);
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
