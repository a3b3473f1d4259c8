// SPDX-License-Identifier: GPL-2.0
// Real-world shape: XDP load balancing and steering through the redirect maps. The packet picks the
// slot (byte 14, just past the Ethernet header); an empty slot falls back to the action in the flags. Rebuild with ./build.sh (clang-19).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, struct bpf_devmap_val);
} ports SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP_HASH);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u32);
} ports_by_id SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_CPUMAP);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, struct bpf_cpumap_val);
} cpus SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_XSKMAP);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u32);
} sockets SEC(".maps");

static __always_inline int slot(struct xdp_md *ctx)
{
	__u8 *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	if ((void *)(data + 15) > data_end)
		return -1;
	return data[14];
}

SEC("xdp")
int to_port(struct xdp_md *ctx)
{
	int key = slot(ctx);
	if (key < 0)
		return XDP_ABORTED;
	/* Reads the devmap entry too: programs may look devmaps up. */
	struct bpf_devmap_val *val = bpf_map_lookup_elem(&ports, &key);
	if (val) {
		__u8 *data = (void *)(long)ctx->data;
		void *data_end = (void *)(long)ctx->data_end;
		if ((void *)(data + 16) <= data_end)
			data[15] = (__u8)val->ifindex;
	}
	return bpf_redirect_map(&ports, key, XDP_PASS);
}

SEC("xdp")
int to_port_by_id(struct xdp_md *ctx)
{
	int key = slot(ctx);
	if (key < 0)
		return XDP_ABORTED;
	return bpf_redirect_map(&ports_by_id, key, XDP_DROP);
}

SEC("xdp")
int to_cpu(struct xdp_md *ctx)
{
	int key = slot(ctx);
	if (key < 0)
		return XDP_ABORTED;
	return bpf_redirect_map(&cpus, key, XDP_TX);
}

SEC("xdp")
int to_socket(struct xdp_md *ctx)
{
	int key = slot(ctx);
	if (key < 0)
		return XDP_ABORTED;
	return bpf_redirect_map(&sockets, key, XDP_PASS);
}

/* Broadcast on a devmap is a redirect even with no entry; on a cpumap the flag is unknown and aborts. */
SEC("xdp")
int broadcast(struct xdp_md *ctx)
{
	int key = slot(ctx);
	if (key < 0)
		return XDP_ABORTED;
	if (key & 1)
		return bpf_redirect_map(&cpus, 0, BPF_F_BROADCAST);
	return bpf_redirect_map(&ports, 7, BPF_F_BROADCAST | BPF_F_EXCLUDE_INGRESS);
}

char LICENSE[] SEC("license") = "GPL";
