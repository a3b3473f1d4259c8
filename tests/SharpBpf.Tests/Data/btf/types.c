// BTF test object: every kind clang emits for BPF, BTF-defined maps, a timer in a nested struct,
// and CO-RE relocations of every kind. Rebuild with build.sh.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

typedef unsigned int __my_u32;

struct flow_key {
	__u32 saddr;
	__u32 daddr;
	__u16 sport;
	__u16 dport;
	__u8 proto;
	char tag[3];
};

enum color { RED = 0, GREEN = 1, BLUE = 7 };
enum level { LOW = -2, MID = 0, HIGH = 3 };
enum big { BIG_SMALL = 1, BIG_LARGE = 0x100000000ULL };

struct flags {
	unsigned int ready : 1;
	unsigned int mode : 3;
	int delta : 5;
	unsigned long long wide : 40;
};

union addr {
	__u32 v4;
	__u8 v6[16];
};

struct inner_with_timer {
	__u64 deadline;
	struct bpf_timer timer;
};

struct val_with_timer {
	__u32 count;
	enum color color;
	struct inner_with_timer inner;
	struct flags flags;
	union addr addr;
	const volatile __u64 stamp;
	__my_u32 alias;
	int (*callback)(void *map, int *key, void *value);
	char name[16];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, struct flow_key);
	__type(value, struct val_with_timer);
} flows SEC(".maps");

struct lock_val {
	struct bpf_spin_lock lock;
	__u32 pad;
	struct bpf_timer timer;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, struct lock_val);
} locked SEC(".maps");

int global_counter = 5;
const volatile enum big global_big = BIG_LARGE;
enum level global_level;
char global_name[8] = "abc";

static int timer_cb(void *map, int *key, void *value)
{
	return 0;
}

struct task_like {
	int pid;
	int tgid;
	union {
		__u64 cookie;
		struct {
			__u32 lo;
			__u32 hi;
		} parts;
	};
	struct flags fl;
	int arr[4];
} __attribute__((preserve_access_index));

struct missing_thing {
	int x;
} __attribute__((preserve_access_index));

__u64 out[16];

/* Kinds the rest does not produce: FLOAT, FWD, RESTRICT, DECL_TAG, TYPE_TAG, a variadic FUNC_PROTO. */
struct fwd_only;
struct fwd_only *global_fwd;
double global_ratio = 1.5;
int __attribute__((btf_type_tag("user"))) *global_user_ptr;
int (*global_variadic)(int first, ...);
struct tagged {
	int plain;
	int marked __attribute__((btf_decl_tag("marked_member")));
} __attribute__((btf_decl_tag("tagged_struct")));
struct tagged global_tagged;

__attribute__((noinline)) int sum_into(int *restrict dst, const int *restrict src)
{
	*dst += *src;
	return *dst;
}


SEC("xdp")
int prog(struct xdp_md *ctx)
{
	struct flow_key key = {};
	struct val_with_timer *v = bpf_map_lookup_elem(&flows, &key);
	if (v) {
		bpf_timer_init(&v->inner.timer, &flows, 1);
		bpf_timer_set_callback(&v->inner.timer, timer_cb);
		v->callback = timer_cb;
	}
	struct task_like *t = (void *)(long)ctx->data;
	if ((void *)(t + 1) > (void *)(long)ctx->data_end)
		return XDP_PASS;
	out[0] = BPF_CORE_READ(t, tgid);
	out[1] = bpf_core_field_exists(t->tgid);
	out[2] = bpf_core_field_size(t->parts.hi);
	out[3] = bpf_core_field_offset(t->parts.hi);
	out[4] = bpf_core_type_exists(struct missing_thing);
	out[5] = bpf_core_type_size(struct task_like);
	out[6] = bpf_core_enum_value_exists(enum level, HIGH);
	out[7] = bpf_core_enum_value(enum level, LOW);
	out[8] = bpf_core_enum_value(enum big, BIG_LARGE);
	out[9] = BPF_CORE_READ_BITFIELD_PROBED(t, fl.delta);
	out[10] = __builtin_preserve_field_info(t->fl.delta, BPF_FIELD_SIGNED);
	out[11] = bpf_core_type_id_local(struct task_like);
	out[12] = bpf_core_type_matches(struct task_like);
	out[15] = bpf_core_type_id_kernel(struct task_like);
	out[13] = bpf_core_field_offset(t->arr[2]);
	out[14] = global_counter + global_big + global_level + global_name[1];
	int a = 1, b = 2;
	out[13] += sum_into(&a, &b);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
