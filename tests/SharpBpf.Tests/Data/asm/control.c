// Conditional jumps (64 and 32 bit, signed and unsigned), a helper call, a bpf-to-bpf call and callx.
typedef unsigned long long u64;

static long (*const helper_one)(long) = (void *)1;

__attribute__((noinline)) static long twice(long x)
{
    return x > 100 ? x : x * 2;
}

__attribute__((section("tc"), used))
long control(u64 *ctx)
{
    long a = (long)ctx[0];
    unsigned int b = (unsigned int)ctx[1];
    int c = (int)ctx[2];
    long r = 0;
    if (a == 7) r += 1;
    if ((unsigned long)a > 9) r += 2;
    if (a < -3) r += 3;
    if (b >= 11) r += 4;
    if (c <= -5) r += 5;
    if (a & 0x40) r += 6;
    if (b != (unsigned int)ctx[3]) r += 7;
    for (int i = 0; i < c && i < 50; i++) r += i;
    r += helper_one(r);
    r += twice(r);
    long (*indirect)(long) = (long (*)(long))ctx[4];
    r += indirect(r);
    return r;
}
