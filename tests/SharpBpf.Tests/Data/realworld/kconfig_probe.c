/* .kconfig externs as libbpf resolves them: the virtual LINUX_* values, CONFIG_* values of every kind (bool,
 * tristate, int, string), and __weak ones the configuration does not name, which read as 0. The program copies
 * each into the 'seen' array so both worlds can be compared slot by slot. */
#include <stdbool.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>


extern unsigned int LINUX_KERNEL_VERSION __kconfig;
extern bool LINUX_HAS_BPF_COOKIE __kconfig;
extern bool CONFIG_BPF __kconfig;
extern enum libbpf_tristate CONFIG_NET_CLS_ACT __kconfig;
extern int CONFIG_HZ __kconfig;
extern char CONFIG_DEFAULT_HOSTNAME[8] __kconfig;
extern char CONFIG_LOCALVERSION[4] __kconfig;
extern bool CONFIG_SHARPBPF_NOT_A_REAL_OPTION __kconfig __weak;
extern unsigned long long CONFIG_SHARPBPF_NO_NUMBER __kconfig __weak;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 10);
	__type(key, __u32);
	__type(value, __u64);
} seen SEC(".maps");

static __always_inline void keep(__u32 slot, __u64 value)
{
	bpf_map_update_elem(&seen, &slot, &value, BPF_ANY);
}

SEC("xdp")
int read_kconfig(struct xdp_md *ctx)
{
	keep(0, LINUX_KERNEL_VERSION);
	keep(1, LINUX_HAS_BPF_COOKIE);
	keep(2, CONFIG_BPF);
	keep(3, CONFIG_NET_CLS_ACT);
	keep(4, CONFIG_HZ);
	keep(5, *(__u64 *)CONFIG_DEFAULT_HOSTNAME);
	keep(6, *(__u32 *)CONFIG_LOCALVERSION);
	keep(7, CONFIG_SHARPBPF_NOT_A_REAL_OPTION);
	keep(8, CONFIG_SHARPBPF_NO_NUMBER);
	return CONFIG_BPF ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
