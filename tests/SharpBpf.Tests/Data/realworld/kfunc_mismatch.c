/* bpf_iter_num_new declared with a parameter missing: libbpf refuses the prototype as incompatible with the kernel's. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct bpf_iter_num {
	unsigned long long opaque[1];
} __attribute__((aligned(8)));

extern int bpf_iter_num_new(struct bpf_iter_num *it, int start) __ksym;

SEC("xdp")
int short_prototype(struct xdp_md *ctx)
{
	struct bpf_iter_num it;

	return bpf_iter_num_new(&it, 0) ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
