/* Strong __ksym variables, typeless (looked up in kallsyms) and typed (in the kernel's BTF). SharpBpf has no kernel
 * symbols and refuses each object with libbpf's words; Linux refuses them too on this machine (kallsyms shows no
 * addresses: libbpf cannot resolve the typeless one, the kernel cannot find the per-CPU typed one's address). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#ifdef TYPED
extern const int bpf_prog_active __ksym;
#else
extern const void bpf_prog_active __ksym;
#endif

SEC("xdp")
int symbol_address(struct xdp_md *ctx)
{
	unsigned long address = (unsigned long)&bpf_prog_active;

	asm volatile("" : "+r"(address));
	return address ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
