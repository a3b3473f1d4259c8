/* Open-coded loops (the number iterator kfuncs) and RCU/preemption sections in XDP and tc programs of the kinds found
 * in the wild: a byte scan of the packet, a histogram over a map, a retry loop, the iterator's error returns. Linux 6.18
 * and SharpBpf run them on the same packets and must agree on the return value and every map. */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include "kfuncs.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} results SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u64);
} histogram SEC(".maps");

static void store(__u32 slot, __u64 value)
{
	__u64 *cell = bpf_map_lookup_elem(&results, &slot);

	if (cell)
		*cell = value;
}

/* Sums the first 64 bytes of the packet (as far as it goes) and counts the 0xff bytes. */
SEC("xdp")
int scan_bytes(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *data_end = (void *)(long)ctx->data_end;
	__u64 sum = 0, ones = 0;
	int i;

	iter_for(i, 0, 64) {
		if (data + i + 1 > data_end)
			break;
		sum += data[i];
		if (data[i] == 0xff)
			ones++;
	}
	store(0, sum);
	store(1, ones);
	return sum & 1 ? XDP_DROP : XDP_PASS;
}

/* Adds the packet length to every histogram bucket up to its size class, under RCU and with preemption off. */
SEC("xdp")
int histogram_under_rcu(struct xdp_md *ctx)
{
	__u64 len = ctx->data_end - ctx->data;
	int bucket;

	bpf_rcu_read_lock();
	bpf_preempt_disable();
	iter_for(bucket, 0, 8) {
		__u32 key = bucket;
		__u64 *count = bpf_map_lookup_elem(&histogram, &key);

		if (!count)
			continue;
		if (len > (64ULL << bucket))
			__sync_fetch_and_add(count, len);
	}
	bpf_preempt_enable();
	bpf_rcu_read_unlock();
	return XDP_PASS;
}

/* What the iterator answers at its edges: new's return codes and how many values each range yields. */
SEC("xdp")
int iterator_edges(struct xdp_md *ctx)
{
	struct bpf_iter_num it;
	__u64 yielded;
	int err;

	err = bpf_iter_num_new(&it, 5, 3);
	yielded = 0;
	while (bpf_iter_num_next(&it))
		yielded++;
	bpf_iter_num_destroy(&it);
	store(0, (__u64)(long)err);
	store(1, yielded);

	err = bpf_iter_num_new(&it, 0, 9 * 1024 * 1024);
	yielded = 0;
	while (bpf_iter_num_next(&it))
		yielded++;
	bpf_iter_num_destroy(&it);
	store(2, (__u64)(long)err);
	store(3, yielded);

	err = bpf_iter_num_new(&it, -3, 4);
	yielded = 0;
	int *v, last = 0;
	while ((v = bpf_iter_num_next(&it))) {
		yielded++;
		last = *v;
	}
	bpf_iter_num_destroy(&it);
	store(4, (__u64)(long)err);
	store(5, yielded);
	store(6, (__u64)(long)last);

	err = bpf_iter_num_new(&it, 7, 7);
	v = bpf_iter_num_next(&it);
	bpf_iter_num_destroy(&it);
	store(7, (__u64)(long)err);
	store(8, v ? 1 : 0);
	return XDP_PASS;
}

/* A retry loop (bpf_repeat's shape) around a map update, and nested loops mixing the counters with the packet. */
SEC("tc")
int retry_and_nest(struct __sk_buff *skb)
{
	unsigned char head[8] __attribute__((aligned(8))) = {};
	__u32 key = 9;
	__u64 tries = 0, pairs = 0;
	int i, j;

	iter_repeat(5) {
		__u64 value = ++tries;

		/* The iterator does not bound tries for the verifier: a condition on it would never converge. */
		if (bpf_map_update_elem(&results, &key, &value, BPF_ANY) == 0 && ((skb->len + tries) & 3) == 0)
			break;
	}
	if (bpf_skb_load_bytes(skb, 0, head, sizeof(head)) < 0)
		return TC_ACT_OK;
	__u64 word = *(__u64 *)head;

	iter_for(i, 0, 4) {
		iter_for(j, 0, 4) {
			pairs += (i * 4 + j) ^ (word & 0xff);
		}
	}
	store(10, tries);
	store(11, pairs);
	return pairs & 1 ? TC_ACT_SHOT : TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
