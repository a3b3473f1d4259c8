// SPDX-License-Identifier: GPL-2.0
// legacy_timer.c — a malformed object: a bpf_timer in the value of a legacy (BTF-less) map. The kernel can find
// no bpf_timer in a value without BTF ("map 'timers' has no valid bpf_timer"); the loader reports it.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct legacy_map_def {
	unsigned int type;
	unsigned int key_size;
	unsigned int value_size;
	unsigned int max_entries;
	unsigned int map_flags;
};

struct elem {
	struct bpf_timer timer;
	__u64 fired;
};

struct legacy_map_def timers SEC("maps") = {
	.type = BPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = sizeof(struct elem), .max_entries = 1,
};

static int on_timer(void *map, int *key, struct elem *value)
{
	value->fired++;
	return 0;
}

SEC("xdp")
int arm(struct xdp_md *ctx)
{
	int key = 0;
	struct elem *value = bpf_map_lookup_elem(&timers, &key);

	if (!value)
		return XDP_PASS;
	bpf_timer_init(&value->timer, &timers, 1);
	bpf_timer_set_callback(&value->timer, on_timer);
	bpf_timer_start(&value->timer, 1000, 0);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
