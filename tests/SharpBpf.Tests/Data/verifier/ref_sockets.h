// Shared by the ref_sock_* objects: a TCP socket looked up by a tuple the program builds (socket reference tracking).
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
static __always_inline void web_tuple(struct bpf_sock_tuple *tuple, __u32 mark)
{
	__builtin_memset(tuple, 0, sizeof(*tuple));
	tuple->ipv4.daddr = 0x0100007f;
	tuple->ipv4.saddr = mark;
	tuple->ipv4.dport = 0x5000;
	tuple->ipv4.sport = 0x3930;
}
