// SPDX-License-Identifier: GPL-2.0
// A per-connection TCP-like state machine in one large XDP function: many pointers stay live at once (packet,
// map values, the flow entry), so clang spills some of them; a switch on the state becomes a jump chain or table;
// signed comparisons and 32-bit arithmetic decide the window. Each connection has a retransmit timer.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define CLOCK_MONOTONIC 1

enum state { CLOSED, SYN_SENT, SYN_RCVD, ESTABLISHED, FIN_WAIT, CLOSE_WAIT, LAST_ACK, TIME_WAIT };

struct msg {
	__u8 kind;   /* 0 syn, 1 syn-ack, 2 ack, 3 data, 4 fin, 5 rst */
	__u8 conn;
	__s16 delta; /* signed window change */
	__s32 seq;
	__u32 len;
};

struct conn {
	struct bpf_timer rto;
	__u32 state;
	__s32 window;
	__s32 last_seq;
	__u32 transitions;
	__u32 retransmits;
	__u32 bytes32;
	__s64 ratio;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, struct conn);
} conns SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u64);
} per_state SEC(".maps");

static int on_rto(void *map, __u32 *key, struct conn *c)
{
	c->retransmits++;
	switch (c->state) {
	case SYN_SENT:
	case SYN_RCVD:
		c->state = CLOSED;
		break;
	case FIN_WAIT:
	case LAST_ACK:
		c->state = TIME_WAIT;
		break;
	default:
		break;
	}
	return 0;
}

static __always_inline __u32 next_state(__u32 state, __u8 kind)
{
	switch (state) {
	case CLOSED:
		return kind == 0 ? SYN_RCVD : kind == 1 ? SYN_SENT : CLOSED;
	case SYN_SENT:
		return kind == 1 ? ESTABLISHED : kind == 5 ? CLOSED : SYN_SENT;
	case SYN_RCVD:
		return kind == 2 ? ESTABLISHED : kind == 5 ? CLOSED : SYN_RCVD;
	case ESTABLISHED:
		switch (kind) {
		case 4: return CLOSE_WAIT;
		case 5: return CLOSED;
		case 3: return ESTABLISHED;
		default: return ESTABLISHED;
		}
	case FIN_WAIT:
		return kind == 4 ? TIME_WAIT : FIN_WAIT;
	case CLOSE_WAIT:
		return kind == 4 ? LAST_ACK : CLOSE_WAIT;
	case LAST_ACK:
		return kind == 2 ? CLOSED : LAST_ACK;
	default:
		return TIME_WAIT;
	}
}

SEC("xdp")
int conn_state(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct msg *m = data;
	__u32 handled = 0;

	/* Up to four messages per packet, each for one connection. */
	for (int i = 0; i < 4; i++) {
		struct conn *c;
		__u64 *hist;
		__u32 key, state, before;
		__s32 window;

		if ((void *)(m + 1) > end)
			break;
		key = m->conn & 3;
		c = bpf_map_lookup_elem(&conns, &key);
		if (!c)
			return XDP_ABORTED;
		before = c->state;
		if (before == CLOSED && m->kind <= 1) {
			if (bpf_timer_init(&c->rto, &conns, CLOCK_MONOTONIC) == 0)
				bpf_timer_set_callback(&c->rto, on_rto);
		}
		state = next_state(before & 7, m->kind);
		window = c->window + m->delta;
		if (window < -1000)
			window = -1000;
		else if (window > 65535)
			window = 65535;
		c->window = window;
		if (m->seq - c->last_seq < 0 && state == ESTABLISHED)
			c->retransmits++;
		c->last_seq = m->seq;
		c->bytes32 += m->len * 3u;
#if __BPF_CPU_VERSION__ >= 4
		/* sdiv only exists from cpu v4 on. */
		c->ratio = m->delta != 0 ? (__s64)window / m->delta : 0;
#else
		c->ratio = m->delta != 0 ? (__s64)window * m->delta : 0;
#endif
		if (state != before) {
			c->transitions++;
			c->state = state;
			if (state == SYN_SENT || state == SYN_RCVD || state == FIN_WAIT || state == LAST_ACK)
				bpf_timer_start(&c->rto, 20000000, 0);
			else if (state == ESTABLISHED || state == CLOSED)
				bpf_timer_cancel(&c->rto);
		}
		hist = bpf_map_lookup_elem(&per_state, &state);
		if (hist)
			*hist += 1;
		handled++;
		m++;
	}
	return handled ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
