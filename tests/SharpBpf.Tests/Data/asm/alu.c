// Arithmetic in 64 and 32 bits, signed division, sign extension and byte swaps (cpu v4).
typedef unsigned long long u64;
typedef long long s64;
typedef unsigned int u32;
typedef int s32;

__attribute__((section("tc"), used))
s64 alu(u64 *ctx)
{
    u64 a = ctx[0], b = ctx[1];
    u32 x = (u32)ctx[2], y = (u32)ctx[3];
    s64 sa = (s64)ctx[4], sb = (s64)ctx[5];
    s32 sx = (s32)ctx[6], sy = (s32)ctx[7];
    u64 r = a + b;
    r ^= a * 3;
    r |= b >> 7;
    r &= ~(a << 9);
    r += (u64)(sa >> 3);
    r -= a / (b | 1);
    r += a % (b | 1);
    u32 w = x + y;
    w ^= x * 5;
    w -= x / (y | 1);
    w += x % (y | 1);
    w |= x >> 3;
    r += w;
    r += (u64)(sa / (sb | 1));
    r += (u64)(sa % (sb | 1));
    r += (u64)(s64)(sx / (sy | 1));
    r += (u64)(s64)(sx % (sy | 1));
    r += (u64)(s64)(signed char)a;
    r += (u64)(s64)(short)b;
    r += (u64)(s64)(s32)a;
    r += __builtin_bswap16((unsigned short)a);
    r += __builtin_bswap32((u32)b);
    r += __builtin_bswap64(a);
    r += 0x1122334455667788ULL;
    return (s64)r - (s64)-r;
}
