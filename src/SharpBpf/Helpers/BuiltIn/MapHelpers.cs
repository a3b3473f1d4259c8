using SharpBpf.Maps;
using System.Runtime.CompilerServices;

namespace SharpBpf.Helpers.BuiltIn;

/// <summary>
/// bpf_map_lookup_elem / update / delete / push / pop / peek / lookup_percpu_elem. The map's program API does the
/// work and returns the kernel's -errno; these check the pointer arguments (key and value sizes) the verifier did not prove and register the
/// value a lookup returns as a region of the run. Callers must run inside <see cref="EpochManager.EnterRun"/>.
/// Does not: hide special fields (bpf_timer, spin lock) from the program; that is the verifier's job.
/// </summary>
internal sealed unsafe class MapHelpers(HelperEnvironment environment)
{
    /// <summary>
    /// True when a handle names the map <see cref="BpfMap.FromHandle"/> gives (the default resolver): then an engine
    /// may resolve a constant handle once, when it compiles the call, as the kernel resolves ld_imm64 at load.
    /// </summary>
    public bool ResolvesHandlesDirectly =>
        environment.MapResolver.Target is null && environment.MapResolver.Method.Name == nameof(BpfMap.FromHandle)
        && environment.MapResolver.Method.DeclaringType == typeof(BpfMap);

    /// <summary>The access a found value gets (read-only for BPF_F_RDONLY_PROG maps).</summary>
    internal static MemoryAccess ValueAccess(BpfMap map) =>
        (map.Flags & MapCreateFlags.RdonlyProg) != 0 ? MemoryAccess.Read : MemoryAccess.ReadWrite;

    /// <summary>True when a lookup in <paramref name="map"/> returns memory (map-in-map lookups return a map).</summary>
    internal static bool ReturnsValueMemory(BpfMap map) => map.Type is not (MapType.ArrayOfMaps or MapType.HashOfMaps);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ulong Lookup(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        var map = HelperErrors.Map(context, environment, r1, "bpf_map_lookup_elem");
        context.GetArgumentMemory(2, r2, (ulong)map.KeySize, MemoryAccess.Read);
        return Expose(context, map, map.LookupElem((nint)r2));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ulong LookupPercpu(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        var map = HelperErrors.Map(context, environment, r1, "bpf_map_lookup_percpu_elem");
        context.GetArgumentMemory(2, r2, (ulong)map.KeySize, MemoryAccess.Read);
        return Expose(context, map, map.LookupPercpuElem((nint)r2, (uint)r3));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ulong Update(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        var map = HelperErrors.Map(context, environment, r1, "bpf_map_update_elem");
        context.GetArgumentMemory(2, r2, (ulong)map.KeySize, MemoryAccess.Read);
        context.GetArgumentMemory(3, r3, (ulong)map.ValueSize, MemoryAccess.Read);
        return HelperErrors.Result(map.UpdateElem((nint)r2, (nint)r3, r4));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ulong Delete(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        var map = HelperErrors.Map(context, environment, r1, "bpf_map_delete_elem");
        context.GetArgumentMemory(2, r2, (ulong)map.KeySize, MemoryAccess.Read);
        return HelperErrors.Result(map.DeleteElem((nint)r2));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ulong Push(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        var map = HelperErrors.Map(context, environment, r1, "bpf_map_push_elem");
        context.GetArgumentMemory(2, r2, (ulong)map.ValueSize, MemoryAccess.Read);
        return HelperErrors.Result(map.PushElem((nint)r2, r3));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ulong Pop(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        var map = HelperErrors.Map(context, environment, r1, "bpf_map_pop_elem");
        context.GetArgumentMemory(2, r2, (ulong)map.ValueSize, MemoryAccess.Write);
        return HelperErrors.Result(map.PopElem((nint)r2));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ulong Peek(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        var map = HelperErrors.Map(context, environment, r1, "bpf_map_peek_elem");
        context.GetArgumentMemory(2, r2, (ulong)map.ValueSize, MemoryAccess.Write);
        return HelperErrors.Result(map.PeekElem((nint)r2));
    }

    /// <summary>Makes a found value accessible (read-only for BPF_F_RDONLY_PROG maps); map-in-map lookups return a map, not memory.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static ulong Expose(HelperCallContext context, BpfMap map, nint value)
    {
        if (value != 0 && ReturnsValueMemory(map))
        {
            context.AddRegion(value, map.ValueSize, ValueAccess(map));
        }

        return (ulong)value;
    }
}
