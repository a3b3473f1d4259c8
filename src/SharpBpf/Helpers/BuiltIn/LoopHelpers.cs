using System.Runtime.InteropServices;
using SharpBpf.Maps;
using System.Runtime.CompilerServices;

namespace SharpBpf.Helpers.BuiltIn;

/// <summary>
/// bpf_loop and bpf_for_each_map_elem: they call a subprogram of the running program back through
/// <see cref="HelperCallContext.InvokeSubprogram"/>, so callbacks share the run's frames and instruction budget.
/// </summary>
internal sealed unsafe class LoopHelpers(HelperEnvironment environment)
{
    /// <summary>BPF_MAX_LOOPS.</summary>
    public const ulong MaxLoops = 1UL << 23;

    /// <summary>
    /// What the kernel's inlined bpf_loop leaves in r0 for too many iterations: <c>mov32 r0, -E2BIG</c>, zero-extended.
    /// (Every flags = 0 call is inlined; the non-inlined helper would give a 64-bit -7.)
    /// </summary>
    public const ulong InlinedE2big = 0xFFFF_FFF9;

    [ThreadStatic] private static byte[]? _keyScratch;
    [ThreadStatic] private static List<byte[]>? _retiredKeyScratch;

    /// <summary>(nr_loops, callback_fn, callback_ctx, flags): callback(index, ctx) until it returns non-zero; returns the iterations run.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ulong Loop(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        if (r4 != 0)
        {
            return HelperErrors.Einval;
        }

        if (r1 > MaxLoops)
        {
            return InlinedE2big;
        }

        var slot = CallbackSlot(r2);
        for (ulong i = 0; i < r1; i++)
        {
            if (Invoke(context, r2, slot, i, r3, 0, 0) != 0)
            {
                return i + 1;
            }
        }

        return r1;
    }

    /// <summary>The slot a callback's function pointer names, decoded once per helper call; -1 when it names none.</summary>
    private static int CallbackSlot(ulong functionPointer) => FunctionPointer.TryDecode(functionPointer, out var slot) ? slot : -1;

    /// <summary>
    /// Calls the callback back: by its decoded slot (the context checks it is an instruction start and faults with the
    /// same value as for the pointer), or by the pointer itself when it decodes to none (the context faults).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Invoke(HelperCallContext context, ulong callback, int slot, ulong r1, ulong r2, ulong r3, ulong r4) =>
        slot >= 0 ? context.InvokeSubprogramAt(slot, r1, r2, r3, r4) : context.InvokeSubprogram(callback, r1, r2, r3, r4);

    /// <summary>
    /// (map, callback_fn, callback_ctx, flags): callback(map, key, value, ctx) for every element (this CPU's copy of
    /// per-CPU values) until it returns non-zero; returns the number of elements visited, the stopping one included.
    /// Elements deleted by the callback before their turn are skipped; elements added during the walk are not visited.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ulong ForEachMapElem(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        var map = HelperErrors.Map(context, environment, r1, "bpf_for_each_map_elem");
        if (r4 != 0)
        {
            return HelperErrors.Einval;
        }

        if (map.Type is not (MapType.Array or MapType.PercpuArray or MapType.Hash or MapType.PercpuHash or MapType.LruHash or MapType.LruPercpuHash))
        {
            return HelperErrors.Einval;
        }

        var key = KeyBuffer(context, map.KeySize);
        var keyBytes = new Span<byte>((void*)key, map.KeySize);
        var slot = CallbackSlot(r2);
        // Values the program's checks recognise need no region each (a proven program's array: JitCompiler.MapCalls.cs).
        var expose = !context.RecognizesValuesOf(map, MapHelpers.ValueAccess(map));
        ulong visited = 0;
        if (map.Type is MapType.Array or MapType.PercpuArray)
        {
            for (var index = 0u; index < (uint)map.MaxEntries; index++)
            {
                BitConverter.TryWriteBytes(keyBytes, index);
                if (Visit(context, map, key, r1, r2, slot, r3, expose, ref visited))
                {
                    break;
                }
            }

            return visited;
        }

        foreach (var snapshotKey in map.Keys())
        {
            snapshotKey.CopyTo(keyBytes);
            if (Visit(context, map, key, r1, r2, slot, r3, expose, ref visited))
            {
                break;
            }
        }

        return visited;
    }

    /// <summary>Calls back for the element under <paramref name="key"/> if it still exists; true when the callback asked to stop.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool Visit(HelperCallContext context, BpfMap map, nint key, ulong mapHandle, ulong callback, int slot, ulong callbackContext, bool expose, ref ulong visited)
    {
        var value = map.LookupElem(key);
        if (value == 0)
        {
            return false;
        }

        visited++;
        if (expose)
        {
            MapHelpers.Expose(context, map, value);
        }

        var keyArgument = map.KeyAddressOfValue(value) is var inElement and not 0 ? inElement : key;
        if (keyArgument != key)
        {
            context.AddRegion(keyArgument, map.KeySize, MemoryAccess.Read);
        }

        return Invoke(context, callback, slot, mapHandle, (ulong)keyArgument, (ulong)value, callbackContext) != 0;
    }

    /// <summary>
    /// A per-thread key buffer that stays allocated for the thread's life, so a key pointer a callback keeps can
    /// never reach freed memory (its contents change, which the verifier's read-only key type makes harmless).
    /// </summary>
    private static nint KeyBuffer(HelperCallContext context, int size)
    {
        if (_keyScratch is null || _keyScratch.Length < size)
        {
            if (_keyScratch is not null)
            {
                // Regions of earlier runs on this thread may still name the old buffer: keep it alive.
                (_retiredKeyScratch ??= []).Add(_keyScratch);
            }

            _keyScratch = GC.AllocateArray<byte>(Math.Max(size, 64), pinned: true);
        }

        var address = Marshal.UnsafeAddrOfPinnedArrayElement(_keyScratch, 0);
        context.AddRegion(address, _keyScratch.Length, MemoryAccess.Read);
        return address;
    }
}
