using System.Runtime.InteropServices;
using SharpBpf.Btf;
using SharpBpf.Maps;
using SharpBpf.Timers;
using System.Runtime.CompilerServices;

namespace SharpBpf.Helpers;

/// <summary>
/// A <see cref="BpfMap"/> whose values hold a <c>struct bpf_timer</c> as the timers see it (<see cref="ITimerMap"/>),
/// and the element observer that frees an element's timer before its value goes away (delete, replacing update,
/// LRU eviction, array update), every timer when the host's last user reference drops, and at disposal.
/// Callback keys: the element's own key for hash maps; for arrays a u32 index kept in memory the adapter owns for the
/// map's lifetime. Does not: support per-CPU maps (the kernel forbids timers in them).
/// </summary>
internal sealed unsafe class TimerMapAdapter : ITimerMap, IMapElementObserver
{
    private readonly BpfMap _map;
    private readonly TimerService _service;
    private readonly uint* _arrayIndexes;

    private TimerMapAdapter(BpfMap map, TimerService service, int timerOffset)
    {
        _map = map;
        _service = service;
        TimerOffset = timerOffset;
        if (map is ArrayMap)
        {
            // Never freed: a callback may hold the key pointer until it returns, even past disposal of the map.
            _arrayIndexes = (uint*)NativeMemory.Alloc((nuint)Math.Max(map.MaxEntries, 1), sizeof(uint));
            for (var i = 0u; i < (uint)map.MaxEntries; i++)
            {
                _arrayIndexes[i] = i;
            }
        }
    }

    /// <summary>True when the map's values have a timer field and the map type may hold timers.</summary>
    public static bool HasTimer(BpfMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        return !map.IsPerCpu && map.SpecialFields.Any(f => f.Kind == SpecialFieldKind.Timer)
            && map.Type is MapType.Array or MapType.Hash or MapType.LruHash;
    }

    /// <summary>Creates the adapter and installs it as the map's element observer (replacing any other).</summary>
    public static TimerMapAdapter Attach(BpfMap map, TimerService service)
    {
        ArgumentNullException.ThrowIfNull(service);
        if (!HasTimer(map))
        {
            throw new ArgumentException($"map '{map.Name}' cannot hold timers", nameof(map));
        }

        var adapter = new TimerMapAdapter(map, service, map.SpecialFields.First(f => f.Kind == SpecialFieldKind.Timer).Offset);
        map.ElementObserver = adapter;
        return adapter;
    }

    public BpfMap Map => _map;
    public string Name => _map.Name;
    public bool HasUserReferences => !_map.IsDisposed && _map.UserReferenceCount > 0;
    public int TimerOffset { get; }
    public int KeySize => _map.KeySize;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public nint GetCallbackKey(nint valueAddress)
    {
        if (_arrayIndexes != null)
        {
            return ((ArrayMap)_map).TryGetIndex(valueAddress, out var index) ? (nint)(_arrayIndexes + index) : 0;
        }

        return _map.KeyAddressOfValue(valueAddress);
    }

    public void OnElementReleasing(BpfMap map, nint valueAddress, nint keyAddress, ElementReleaseReason reason) =>
        _service.FreeTimerIn(valueAddress, this);

    public void OnUserReferencesReleased(BpfMap map) => _service.FreeAllTimers(this);

    public void OnMapDisposing(BpfMap map) => _service.FreeAllTimers(this);
}
