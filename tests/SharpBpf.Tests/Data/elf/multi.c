// SPDX-License-Identifier: (MIT OR GPL-2.0)
// multi.c — an ELF reader test object (not an example): the section and symbol
// shapes clang produces that the examples do not. Built with -mcpu=v1 and
// -fcommon by build.sh in this folder:
//   - two programs in one section and a '?'-prefixed (not autoloaded) section;
//   - a tracepoint section whose name contains '/';
//   - a legacy `maps` section (struct bpf_map_def) next to a BTF .maps map;
//   - string literals (.rodata.str1.1) and a custom .data.counters section;
//   - an undefined extern (SHN_UNDEF) and a common symbol (SHN_COMMON).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct legacy_map_def {
	unsigned int type;
	unsigned int key_size;
	unsigned int value_size;
	unsigned int max_entries;
	unsigned int map_flags;
};

struct legacy_map_def legacy_counts SEC("maps") = {
	.type = BPF_MAP_TYPE_ARRAY,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u64),
	.max_entries = 4,
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} btf_map SEC(".maps");

__u64 custom_counter SEC(".data.counters") = 7;
int common_value;	/* SHN_COMMON with -fcommon */
extern int external_flag __attribute__((weak));

SEC("xdp")
int first(struct xdp_md *ctx)
{
	__u32 key = 1;
	__u64 *value = bpf_map_lookup_elem(&legacy_counts, &key);

	if (value)
		*value += custom_counter;
	bpf_printk("first %d", common_value);
	return XDP_PASS;
}

SEC("xdp")
int second(struct xdp_md *ctx)
{
	__u32 key = 2;
	__u64 one = 1;

	bpf_map_update_elem(&btf_map, &key, &one, BPF_ANY);
	return &external_flag ? XDP_DROP : XDP_PASS;
}

SEC("?tracepoint/syscalls/sys_enter_write")
int on_write(void *ctx)
{
	bpf_printk("write");
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
