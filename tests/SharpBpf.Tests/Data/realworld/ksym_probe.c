/* A __weak typeless __ksym the kernel does not have: libbpf resolves it to 0, and so does SharpBpf (which has no
 * kernel symbols at all; a strong __ksym refuses the object). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

extern const void sharpbpf_no_such_symbol __ksym __weak;

SEC("xdp")
int weak_symbol(struct xdp_md *ctx)
{
	return &sharpbpf_no_such_symbol ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
