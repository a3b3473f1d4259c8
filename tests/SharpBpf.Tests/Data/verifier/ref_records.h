// Shared by the ref_* objects: a ring buffer of samples (reference tracking rules).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
struct { __uint(type, BPF_MAP_TYPE_RINGBUF); __uint(max_entries, 4096); } samples SEC(".maps");
struct sample { __u32 queue; __u32 length; };
