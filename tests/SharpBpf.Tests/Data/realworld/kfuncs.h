/* The kfuncs SharpBpf implements, declared as a program declares them (libbpf 1.1's headers do not), and loop macros
 * in the shape of bpf_for/bpf_repeat from newer bpf_helpers.h: an iterator on the stack, destroyed when the loop's
 * scope ends (the cleanup attribute), the value re-checked against the bounds so the verifier knows its range. */
#ifndef KFUNCS_H
#define KFUNCS_H

struct bpf_iter_num {
	unsigned long long opaque[1];
} __attribute__((aligned(8)));

extern int bpf_iter_num_new(struct bpf_iter_num *it, int start, int end) __ksym;
extern int *bpf_iter_num_next(struct bpf_iter_num *it) __ksym;
extern void bpf_iter_num_destroy(struct bpf_iter_num *it) __ksym;
extern void bpf_rcu_read_lock(void) __ksym;
extern void bpf_rcu_read_unlock(void) __ksym;
extern void bpf_preempt_disable(void) __ksym;
extern void bpf_preempt_enable(void) __ksym;

/* for (i = start; i < end; i++), with i an int the verifier knows lies in [start, end). Naming
 * bpf_iter_num_destroy outside the cleanup attribute makes clang emit its BTF. */
#define iter_for(i, start, end)                                                                          \
	for (struct bpf_iter_num ___it __attribute__((aligned(8), cleanup(bpf_iter_num_destroy))),       \
	     *___init __attribute__((unused)) =                                                         \
		     (bpf_iter_num_new(&___it, (start), (end)), (void)bpf_iter_num_destroy, (void *)0);  \
	     ({                                                                                         \
		     int *___v = bpf_iter_num_next(&___it);                                             \
		     ___v && ((i) = *___v, (i) >= (start) && (i) < (end));                               \
	     });)

/* Runs the body n times. */
#define iter_repeat(n)                                                                                   \
	for (struct bpf_iter_num ___it __attribute__((aligned(8), cleanup(bpf_iter_num_destroy))),       \
	     *___init __attribute__((unused)) =                                                         \
		     (bpf_iter_num_new(&___it, 0, (n)), (void)bpf_iter_num_destroy, (void *)0);          \
	     bpf_iter_num_next(&___it);)

#endif
