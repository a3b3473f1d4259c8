// Map values whose bpf_timer the kernel does or does not record (kernel/bpf/btf.c btf_find_field).
// Checked on Linux 6.18 by calling bpf_timer_init at a wrong offset and reading the verifier's answer:
//   two_timers, timer_array, packed_timer, bits_then_timer: "map 'm' has no valid bpf_timer"
//   packed_inner: timer at 4 (alignment is checked within the innermost struct only)
//   nested_two: timer at 24 (one per struct level; the kernel keeps the last)
//   one_timer_array: timer at 0
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct two_timers { struct bpf_timer a; struct bpf_timer b; };
struct timer_array { __u64 x; struct bpf_timer t[2]; };
struct packed_timer { __u32 x; struct bpf_timer t; } __attribute__((packed));
struct bpf_wq_like { __u64 x; };
struct one_timer_array { struct bpf_timer t[1]; };
struct wrong_size_holder { __u32 x; struct bpf_timer_fake *p; };
struct lock_only { __u32 x; struct bpf_spin_lock lock; };
struct nested_two { struct bpf_timer a; struct { __u64 y; struct bpf_timer b; } in; };
union timer_union { struct bpf_timer t; __u64 raw[2]; };
struct inner_timer { struct bpf_timer t; };
struct packed_inner { __u32 x; struct inner_timer in; } __attribute__((packed));
struct bits { unsigned int ready : 1; unsigned int mode : 3; };
struct bits_then_timer { __u64 x; struct bits b; struct bpf_timer t; };
struct with_union { __u64 x; union timer_union u; };

#define MAP(name, vtype) \
struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 1); __type(key, __u32); __type(value, vtype); } name SEC(".maps")

MAP(m_two, struct two_timers);
MAP(m_array, struct timer_array);
MAP(m_packed, struct packed_timer);
MAP(m_one_array, struct one_timer_array);
MAP(m_lock, struct lock_only);
MAP(m_nested_two, struct nested_two);
MAP(m_union, struct with_union);
MAP(m_packed_inner, struct packed_inner);
MAP(m_bits, struct bits_then_timer);

SEC("xdp")
int prog(struct xdp_md *ctx)
{
	__u32 k = 0;
	void *p = bpf_map_lookup_elem(&m_two, &k);
	p = p ?: bpf_map_lookup_elem(&m_array, &k);
	p = p ?: bpf_map_lookup_elem(&m_packed, &k);
	p = p ?: bpf_map_lookup_elem(&m_one_array, &k);
	p = p ?: bpf_map_lookup_elem(&m_lock, &k);
	p = p ?: bpf_map_lookup_elem(&m_nested_two, &k);
	p = p ?: bpf_map_lookup_elem(&m_union, &k);
	p = p ?: bpf_map_lookup_elem(&m_packed_inner, &k);
	p = p ?: bpf_map_lookup_elem(&m_bits, &k);
	return p ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
