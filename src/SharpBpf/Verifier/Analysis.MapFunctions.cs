using System.Collections.Frozen;
using SharpBpf.Helpers;
using SharpBpf.Maps;
using static SharpBpf.Helpers.HelperId;

namespace SharpBpf.Verifier;

/// <summary>
/// The kernel's check_map_func_compatibility, at the end of a helper call that took a map: both ways, a map type
/// only some helpers may touch (a ring buffer, a program array, a queue…) and a helper that needs one kind of map
/// (bpf_ringbuf_output a ring buffer, bpf_tail_call a program array…).
/// </summary>
internal sealed partial class Analysis
{
    /// <summary>Map types only the listed helpers may be given; other types any helper that takes a map.</summary>
    private static readonly FrozenDictionary<MapType, HelperId[]> HelpersOfMapType = new Dictionary<MapType, HelperId[]>
    {
        [MapType.ProgArray] = [TailCall],
        [MapType.PerfEventArray] = [PerfEventRead, PerfEventOutput, PerfEventReadValue, SkbOutput, XdpOutput],
        [MapType.Ringbuf] = [RingbufOutput, RingbufReserve, RingbufQuery, RingbufReserveDynptr, RingbufSubmitDynptr, RingbufDiscardDynptr],
        [MapType.UserRingbuf] = [UserRingbufDrain],
        [MapType.StackTrace] = [GetStackid],
        [MapType.CgroupArray] = [SkbUnderCgroup, CurrentTaskUnderCgroup],
        [MapType.CgroupStorage] = [GetLocalStorage],
        [MapType.PercpuCgroupStorage] = [GetLocalStorage],
        [MapType.Devmap] = [RedirectMap, MapLookupElem],
        [MapType.DevmapHash] = [RedirectMap, MapLookupElem],
        [MapType.Cpumap] = [RedirectMap],
        [MapType.Xskmap] = [RedirectMap, MapLookupElem],
        [MapType.ArrayOfMaps] = [MapLookupElem],
        [MapType.HashOfMaps] = [MapLookupElem],
        // Updates and deletes are allowed by program type (may_update_sockmap); not modelled: always allowed here.
        [MapType.Sockmap] = [SkRedirectMap, SockMapUpdate, MsgRedirectMap, SkSelectReuseport, MapLookupElem, MapUpdateElem, MapDeleteElem],
        [MapType.Sockhash] = [SkRedirectHash, SockHashUpdate, MsgRedirectHash, SkSelectReuseport, MapLookupElem, MapUpdateElem, MapDeleteElem],
        [MapType.ReuseportSockarray] = [SkSelectReuseport],
        [MapType.Queue] = [MapPeekElem, MapPopElem, MapPushElem],
        [MapType.Stack] = [MapPeekElem, MapPopElem, MapPushElem],
        [MapType.BloomFilter] = [MapPeekElem, MapPushElem],
        [MapType.SkStorage] = [SkStorageGet, SkStorageDelete, KptrXchg],
        [MapType.InodeStorage] = [InodeStorageGet, InodeStorageDelete, KptrXchg],
        [MapType.TaskStorage] = [TaskStorageGet, TaskStorageDelete, KptrXchg],
        [MapType.CgrpStorage] = [CgrpStorageGet, CgrpStorageDelete, KptrXchg],
    }.ToFrozenDictionary();

    /// <summary>Helpers that take only the listed map types.</summary>
    private static readonly FrozenDictionary<HelperId, MapType[]> MapTypesOfHelper = new Dictionary<HelperId, MapType[]>
    {
        [TailCall] = [MapType.ProgArray],
        [PerfEventRead] = [MapType.PerfEventArray],
        [PerfEventOutput] = [MapType.PerfEventArray],
        [PerfEventReadValue] = [MapType.PerfEventArray],
        [SkbOutput] = [MapType.PerfEventArray],
        [XdpOutput] = [MapType.PerfEventArray],
        [RingbufOutput] = [MapType.Ringbuf],
        [RingbufReserve] = [MapType.Ringbuf],
        [RingbufQuery] = [MapType.Ringbuf],
        [RingbufReserveDynptr] = [MapType.Ringbuf],
        [UserRingbufDrain] = [MapType.UserRingbuf],
        [GetStackid] = [MapType.StackTrace],
        [CurrentTaskUnderCgroup] = [MapType.CgroupArray],
        [SkbUnderCgroup] = [MapType.CgroupArray],
        [RedirectMap] = [MapType.Devmap, MapType.DevmapHash, MapType.Cpumap, MapType.Xskmap],
        [SkRedirectMap] = [MapType.Sockmap],
        [MsgRedirectMap] = [MapType.Sockmap],
        [SockMapUpdate] = [MapType.Sockmap],
        [SkRedirectHash] = [MapType.Sockhash],
        [MsgRedirectHash] = [MapType.Sockhash],
        [SockHashUpdate] = [MapType.Sockhash],
        [GetLocalStorage] = [MapType.CgroupStorage, MapType.PercpuCgroupStorage],
        [SkSelectReuseport] = [MapType.ReuseportSockarray, MapType.Sockmap, MapType.Sockhash],
        [MapPopElem] = [MapType.Queue, MapType.Stack],
        [MapPeekElem] = [MapType.Queue, MapType.Stack, MapType.BloomFilter],
        [MapPushElem] = [MapType.Queue, MapType.Stack, MapType.BloomFilter],
        [MapLookupPercpuElem] = [MapType.PercpuArray, MapType.PercpuHash, MapType.LruPercpuHash],
        [SkStorageGet] = [MapType.SkStorage],
        [SkStorageDelete] = [MapType.SkStorage],
        [InodeStorageGet] = [MapType.InodeStorage],
        [InodeStorageDelete] = [MapType.InodeStorage],
        [TaskStorageGet] = [MapType.TaskStorage],
        [TaskStorageDelete] = [MapType.TaskStorage],
        [CgrpStorageGet] = [MapType.CgrpStorage],
        [CgrpStorageDelete] = [MapType.CgrpStorage],
    }.ToFrozenDictionary();

    /// <summary>
    /// A map without keys (queue, stack, bloom filter, ring buffer) given to a helper that reads a key: the key is a
    /// zero-sized read of the stack, which the kernel refuses before the helper's map type is checked.
    /// </summary>
    private bool CheckKeyOfKeylessMap(int pc, RegisterValue key, VerifierMap map)
    {
        if (map.KeySize == 0 && key.Kind == ValueKind.Stack)
        {
            return Reject(pc, "invalid zero-sized read");
        }

        return true;
    }

    private bool CheckMapFunctionCompatibility(int pc, int id, VerifierMap? map)
    {
        if (map is null)
        {
            return true;
        }

        var helper = (HelperId)id;
        if (helper == TailCall && map.Type != MapType.ProgArray)
        {
            // The kernel's message has no newline: the log runs on into "processed N insns".
            return Reject(pc, "expected prog array map for tail call");
        }

        bool compatible = (!HelpersOfMapType.TryGetValue(map.Type, out var helpers) || helpers.Contains(helper))
            && (!MapTypesOfHelper.TryGetValue(helper, out var types) || types.Contains(map.Type));
        if (!compatible)
        {
            var name = HelperTable.TryGet(id, out var info) ? info.KernelName : "unknown";
            return Reject(pc, $"cannot pass map_type {(int)map.Type} into func {name}#{id}");
        }

        return true;
    }
}
