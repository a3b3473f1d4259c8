// Loads, sign-extending loads, stores and atomics (cpu v4; 32-bit atomics need --mcpu=v3+ to disassemble).
typedef unsigned long long u64;
typedef unsigned int u32;

__attribute__((section("tc"), used))
long memory(void *ctx)
{
    unsigned char *p = ctx;
    long r = *(signed char *)(p + 1) + *(short *)(p + 2) + *(int *)(p + 4);
    r += p[8] + *(unsigned short *)(p + 10) + *(u32 *)(p + 12) + (long)*(u64 *)(p + 16);
    volatile u64 slot = 5;
    volatile u32 slot32 = 6;
    p[24] = 1;
    *(unsigned short *)(p + 26) = 2;
    *(u32 *)(p + 28) = 3;
    *(u64 *)(p + 32) = 4;
    *(u64 *)(p + 40) = (u64)r;
    __sync_fetch_and_add(&slot, 1);
    __sync_fetch_and_or(&slot, 2);
    __sync_fetch_and_and(&slot, 3);
    __sync_fetch_and_xor(&slot, 4);
    r += (long)__sync_fetch_and_add(&slot, 5);
    r += (long)__sync_fetch_and_or(&slot, 6);
    r += (long)__sync_fetch_and_and(&slot, 7);
    r += (long)__sync_fetch_and_xor(&slot, 8);
    r += (long)__atomic_exchange_n(&slot, 9, __ATOMIC_SEQ_CST);
    r += (long)__sync_val_compare_and_swap(&slot, 10, 11);
    __sync_fetch_and_add(&slot32, 1);
    r += __sync_fetch_and_add(&slot32, 2);
    r += __sync_fetch_and_xor(&slot32, 3);
    r += __atomic_exchange_n(&slot32, 4, __ATOMIC_SEQ_CST);
    r += __sync_val_compare_and_swap(&slot32, 5, 6);
    return r;
}
