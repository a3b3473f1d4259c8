/* A struct bpf_wq in a map value, initialized, given a callback and started from a syscall program (the only kind of
 * program that may: its callback is sleepable). Linux 6.18 loads it; SharpBpf has no workqueue and refuses it at load. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct bpf_wq {
	unsigned long long opaque[2];
} __attribute__((aligned(8)));

extern int bpf_wq_init(struct bpf_wq *wq, void *p__map, unsigned int flags) __ksym;
extern int bpf_wq_start(struct bpf_wq *wq, unsigned int flags) __ksym;
extern int bpf_wq_set_callback_impl(struct bpf_wq *wq, int (callback_fn)(void *map, int *key, void *value),
				    unsigned int flags, void *aux__ign) __ksym;

struct deferred {
	struct bpf_wq work;
	__u64 runs;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, int);
	__type(value, struct deferred);
} jobs SEC(".maps");

static int run_job(void *map, int *key, void *value)
{
	struct deferred *job = value;

	job->runs++;
	return 0;
}

SEC("syscall")
int schedule_job(void *ctx)
{
	int key = 0;
	struct deferred *job = bpf_map_lookup_elem(&jobs, &key);

	if (!job)
		return 1;
	if (bpf_wq_init(&job->work, &jobs, 0) || bpf_wq_set_callback_impl(&job->work, run_job, 0, 0))
		return 2;
	return bpf_wq_start(&job->work, 0);
}

char LICENSE[] SEC("license") = "GPL";
