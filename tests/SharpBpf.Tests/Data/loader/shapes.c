// SPDX-License-Identifier: (MIT OR GPL-2.0)
// shapes.c — a loader test object (not an example) with the shapes the examples lack, all loadable by
// libbpf 1.1 so that Data/loader/build.sh can record libbpf's view of it:
//   - sections xdp.frags, ?xdp (optional), classifier, socket, cgroup_skb/ingress, raw_tp/..., tp/...;
//   - a map-in-map (ARRAY_OF_MAPS with __array(values, ...) and a declarative inner slot), a PROG_ARRAY with
//     two slots, map_flags and numa_node attributes;
//   - string literals (.rodata.str1.1), a custom .data.config section, static and global variables;
//   - a global function in .text called by two programs, a hidden global function and variable, a static
//     call chain, a bpf_loop callback;
//   - CO-RE relocations against UAPI types (identical in the kernel's BTF, so libbpf computes the same values).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

struct inner {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} inner_a SEC(".maps"), inner_b SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 4);
	__type(key, __u32);
	__array(values, struct inner);
} outer SEC(".maps") = {
	.values = { [1] = &inner_b, [3] = &inner_a },
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 32);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(numa_node, 0);
	__type(key, __u64);
	__type(value, __u32);
} sparse SEC(".maps");

int tail_frags(struct xdp_md *ctx);
int tail_second(struct xdp_md *ctx);

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 3);
	__uint(key_size, sizeof(__u32));
	__array(values, int (void *));
} jumps SEC(".maps") = {
	.values = { [0] = (void *)&tail_frags, [2] = (void *)&tail_second },
};

volatile __u32 hits;			/* .bss, global */
static volatile __u64 private_total;	/* .bss, static */
__u32 limit SEC(".data.config") = 1500;
const volatile __u32 scale = 3;		/* .rodata */

static __noinline __u32 twice(__u32 x)
{
	return x * 2 + private_total;
}

static __noinline __u32 twice_plus_one(__u32 x)
{
	return twice(x) + 1;
}

__noinline int shared_global(__u32 value)
{
	hits++;
	return value < limit ? 2 : 1;
}

__hidden __u32 hidden_seen;		/* .bss, global but hidden: libbpf treats it as static */

__hidden __noinline int hidden_global(__u32 value)
{
	hidden_seen = value;
	return value & 1;
}

static long step(__u64 index, void *context)
{
	*(__u64 *)context += index;
	return index < 3 ? 0 : 1;
}

SEC("xdp.frags")
int tail_frags(struct xdp_md *ctx)
{
	__u64 sum = 0;

	bpf_loop(8, step, &sum, 0);
	private_total += sum;
	return shared_global(bpf_core_field_offset(struct xdp_md, rx_queue_index) + ctx->rx_queue_index);
}

SEC("xdp.frags")
int tail_second(struct xdp_md *ctx)
{
	return XDP_PASS;
}

SEC("?xdp")
int tail_optional(struct xdp_md *ctx)
{
	__u32 key = 0, *inner_value;
	void *inner = bpf_map_lookup_elem(&outer, &key);

	if (inner) {
		inner_value = bpf_map_lookup_elem(inner, &key);
		if (inner_value)
			return *inner_value;
	}
	bpf_tail_call(ctx, &jumps, 0);
	return twice_plus_one(scale);
}

SEC("classifier")
int classify(struct __sk_buff *skb)
{
	__u64 key = skb->len;
	__u32 one = 1;

	bpf_map_update_elem(&sparse, &key, &one, BPF_ANY);
	if (bpf_core_field_exists(skb->tc_classid) && bpf_core_type_size(struct __sk_buff) > 100)
		return shared_global(skb->len);
	return bpf_core_enum_value(enum bpf_ret_code, BPF_OK);
}

SEC("socket")
int filter(struct __sk_buff *skb)
{
	return twice(skb->len) + hidden_global(skb->len);
}

SEC("cgroup_skb/ingress")
int allow(struct __sk_buff *skb)
{
	return 1;
}

SEC("raw_tp/sys_enter")
int on_enter(void *ctx)
{
	bpf_printk("enter %u", hits);
	return 0;
}

SEC("tp/syscalls/sys_enter_getpid")
int on_getpid(void *ctx)
{
	bpf_printk("getpid scale=%u", scale);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
