// SPDX-License-Identifier: GPL-2.0
// Wrong: a snapshot of the whole value is copied into an archive map with memcpy, which reads the bpf_timer's words.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define CLOCK_MONOTONIC 1

struct session {
	__u64 opened;
	struct bpf_timer timer;
	__u64 bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, struct session);
} sessions SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct { __u64 words[4]; });
} archive SEC(".maps");

SEC("syscall")
int snapshot_session(void *ctx)
{
	__u32 id = 1, zero = 0;
	struct session *s = bpf_map_lookup_elem(&sessions, &id);
	void *slot;

	if (!s)
		return 1;
	slot = bpf_map_lookup_elem(&archive, &zero);
	if (!slot)
		return 2;
	__builtin_memcpy(slot, s, sizeof(*s));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
