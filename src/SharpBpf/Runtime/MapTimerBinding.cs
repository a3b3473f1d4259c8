using System.Runtime.InteropServices;
using SharpBpf.Maps;
using SharpBpf.Timers;

namespace SharpBpf.Runtime;

/// <summary>
/// Joins a map that holds a <c>bpf_timer</c> to the timer service: the timer view of the map (<see cref="ITimerMap"/>)
/// and the element observer that frees timers when the map deletes, replaces, evicts or updates elements, or loses
/// its last user reference (spec R26–R31).
/// </summary>
internal sealed unsafe class MapTimerBinding : ITimerMap, IMapElementObserver, IDisposable
{
    private readonly TimerService _timers;
    private readonly uint* _arrayIndices;

    public MapTimerBinding(BpfMap map, int timerOffset, TimerService timers)
    {
        Map = map;
        TimerOffset = timerOffset;
        _timers = timers;
        if (map is ArrayMap)
        {
            // The callback's key for an array is a u32 index that must outlive the call: one stable slot per index.
            _arrayIndices = (uint*)NativeMemory.Alloc((nuint)Math.Max(1L, map.MaxEntries), sizeof(uint));
            for (uint i = 0; i < map.MaxEntries; i++) _arrayIndices[i] = i;
        }

        map.ElementObserver = this;
    }

    public BpfMap Map { get; }
    public string Name => Map.Name;
    public bool HasUserReferences => Map.UserReferenceCount > 0;
    public int TimerOffset { get; }
    public int KeySize => (int)Map.KeySize;

    public nint GetCallbackKey(nint valueAddress) =>
        Map is ArrayMap array
            ? array.TryGetIndex(valueAddress, out var index) ? (nint)(_arrayIndices + index) : 0
            : Map.KeyAddressOfValue(valueAddress);

    public void OnElementReleasing(BpfMap map, nint valueAddress, nint keyAddress, ElementReleaseReason reason) =>
        _timers.FreeTimerIn(valueAddress, this);

    public void OnUserReferencesReleased(BpfMap map) => _timers.FreeAllTimers(this);

    public void OnMapDisposing(BpfMap map) => _timers.FreeAllTimers(this);

    public void Dispose()
    {
        if (_arrayIndices is not null)
        {
            NativeMemory.Free(_arrayIndices);
        }
    }
}
