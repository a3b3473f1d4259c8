using System.Runtime.CompilerServices;
using SharpBpf.Btf;

namespace SharpBpf.Maps;

/// <summary>
/// A live map with the kernel's semantics, values in native memory. Two layers:
/// the host API (span based, like the bpf syscall: per-CPU values are all-CPU buffers with 8-byte rounded
/// slots, special-field bytes read as zero) and the program API the helpers call (<see cref="LookupElem"/>
/// returns the real value address; the others return 0 or <c>-errno</c>). Program-API calls must happen inside
/// a run (<see cref="EpochManager.EnterRun"/>) so returned pointers stay valid until the run ends.
/// Does not: check privileges, implement BTF-based pretty printing, or persist (no pinning).
/// </summary>
public abstract unsafe class BpfMap : IDisposable
{
    /// <summary>
    /// Live maps by id (weakly: a map nobody holds can still be collected), indexed, not hashed: helpers resolve a
    /// handle on every call, and a dictionary probe cost more than the array lookup it served. Grown under
    /// <see cref="ByIdGate"/>, read without a lock.
    /// </summary>
    private static WeakReference<BpfMap>?[] ById = new WeakReference<BpfMap>?[64];
    private static readonly Lock ByIdGate = new();
    private static int _lastId;
    private int _userReferences = 1;
    // Pinned, so compiled programs test it with one load from a constant address (DisposedFlagAddress).
    private readonly int[] _disposed = GC.AllocateArray<int>(1, pinned: true);
    private IMapElementObserver? _observer;

    private protected BpfMap(MapDefinition definition, MapCreateOptions options)
    {
        if (options.PossibleCpus < 1) throw new ArgumentOutOfRangeException(nameof(options), "PossibleCpus must be at least 1");
        Definition = definition;
        Options = options;
        Layout = new ValueLayout((int)definition.ValueSize, definition.SpecialFields);
        IsPerCpu = definition.Type.IsPerCpu();
        Id = (uint)Interlocked.Increment(ref _lastId);
        Publish(Id, new WeakReference<BpfMap>(this));
    }

    /// <summary>Validates like BPF_MAP_CREATE (throws <see cref="MapCreateException"/> with the kernel's errno) and creates the map.</summary>
    public static BpfMap Create(MapDefinition definition, MapCreateOptions? options = null)
    {
        MapCreateValidator.Validate(definition);
        options ??= MapCreateOptions.Default;
        try
        {
            return definition.Type switch
            {
                MapType.Array or MapType.PercpuArray => new ArrayMap(definition, options),
                MapType.Hash or MapType.PercpuHash or MapType.LruHash or MapType.LruPercpuHash => new HashMap(definition, options),
                MapType.ProgArray => new ProgramArrayMap(definition, options),
                MapType.Queue or MapType.Stack => new QueueStackMap(definition, options),
                MapType.Ringbuf => new RingBufferMap(definition, options),
                MapType.ArrayOfMaps => new ArrayOfMapsMap(definition, options),
                MapType.HashOfMaps => new HashOfMapsMap(definition, options),
                MapType.LpmTrie => new LpmTrieMap(definition, options),
                MapType.BloomFilter => new BloomFilterMap(definition, options),
                MapType.Devmap or MapType.Cpumap or MapType.Xskmap => new RedirectArrayMap(definition, options),
                MapType.DevmapHash => new DevmapHashMap(definition, options),
                MapType.PerfEventArray => new PerfEventArrayMap(definition, options),
                MapType.Sockmap or MapType.Sockhash or MapType.CgroupStorage or MapType.PercpuCgroupStorage or
                    MapType.SkStorage => new SocketOrStorageMap(definition, options),
                _ => throw new MapCreateException(definition.Name, Errno.EOPNOTSUPP, "unsupported map type"),
            };
        }
        catch (OutOfMemoryException)
        {
            throw new MapCreateException(definition.Name, Errno.ENOMEM, "not enough memory for the map");
        }
    }

    /// <summary>The creation input: type, sizes, flags, special fields.</summary>
    public MapDefinition Definition { get; }
    /// <summary>The host-side creation knobs (possible CPUs).</summary>
    public MapCreateOptions Options { get; }
    internal ValueLayout Layout { get; }
    internal EpochManager Epochs => Options.Epochs;

    /// <summary>The map's name.</summary>
    public string Name => Definition.Name;
    /// <summary>The map type.</summary>
    public MapType Type => Definition.Type;
    /// <summary>Key size in bytes (0 for maps without keys).</summary>
    public int KeySize => (int)Definition.KeySize;
    /// <summary>Value size in bytes, as a program sees one value (one CPU's copy for per-CPU maps; see <see cref="HostValueSize"/>).</summary>
    public int ValueSize => (int)Definition.ValueSize;
    /// <summary>The <c>max_entries</c> attribute.</summary>
    public int MaxEntries => (int)Definition.MaxEntries;
    /// <summary>The <c>map_flags</c> the map was created with.</summary>
    public MapCreateFlags Flags => Definition.Flags;
    /// <summary>Timers, spin locks and other kernel-managed fields in the value; their bytes read as zero from the host.</summary>
    public IReadOnlyList<SpecialField> SpecialFields => Definition.SpecialFields;
    /// <summary>How many per-CPU copies a per-CPU value has.</summary>
    public int PossibleCpus => Options.PossibleCpus;
    /// <summary>True for the per-CPU types, whose host values are one copy per possible CPU.</summary>
    public bool IsPerCpu { get; }

    /// <summary>Process-unique map id (like the kernel's map id); what map-in-map lookups from the host return.</summary>
    public uint Id { get; }

    /// <summary>The opaque non-zero value a program holds for this map (CONST_PTR_TO_MAP); resolve with <see cref="FromHandle"/>.</summary>
    internal nint Handle => (nint)Id;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static BpfMap? FromHandle(nint handle) => handle > 0 && handle <= uint.MaxValue ? FromId((uint)handle) : null;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static BpfMap? FromId(uint id) =>
        ById is var table && id < (uint)table.Length && table[id] is { } weak && weak.TryGetTarget(out var map) && !map.IsDisposed
            ? map
            : null;

    private static void Publish(uint id, WeakReference<BpfMap>? weak)
    {
        lock (ByIdGate)
        {
            var table = ById;
            if (id >= (uint)table.Length)
            {
                if (weak is null) return;
                var grown = new WeakReference<BpfMap>?[Math.Max(table.Length * 2, (int)Math.Min(id + 1L, int.MaxValue))];
                table.CopyTo(grown, 0);
                grown[id] = weak;
                Volatile.Write(ref ById, grown);
                return;
            }

            Volatile.Write(ref table[id], weak);
        }
    }

    /// <summary>Size of one value in the host (syscall) ABI: per-CPU maps take <c>round_up(value_size, 8) * possible CPUs</c>.</summary>
    public virtual int HostValueSize => IsPerCpu ? (int)MapCreateValidator.Round8(Definition.ValueSize) * PossibleCpus : ValueSize;

    /// <summary>Size of the per-CPU slot in host buffers and in native memory.</summary>
    public int PerCpuStride => (int)MapCreateValidator.Round8(Definition.ValueSize);

    /// <summary>True once the map is disposed; its operations then throw <see cref="ObjectDisposedException"/>.</summary>
    public bool IsDisposed => Volatile.Read(ref _disposed[0]) != 0;

    /// <summary>Where the disposed flag (an int, non-zero once disposed) lives for as long as the map object does.</summary>
    internal nint DisposedFlagAddress => (nint)Unsafe.AsPointer(ref _disposed[0]);

    /// <summary>
    /// True when [<paramref name="address"/>, +<paramref name="size"/>) lies inside the value bytes of one element (or
    /// per-CPU copy) of this live map: what an engine that skips a lookup's region asks instead. False for maps whose
    /// values do not live in storage fixed at creation.
    /// </summary>
    internal virtual bool HoldsValueBytes(ulong address, ulong size) => false;

    /// <summary>Number of elements currently present (arrays: <see cref="MaxEntries"/>).</summary>
    public abstract int Count { get; }

    /// <summary>Receives element-release notifications (the Timers component). Null: nobody listens.</summary>
    internal IMapElementObserver? ElementObserver
    {
        get => Volatile.Read(ref _observer);
        set => Volatile.Write(ref _observer, value);
    }

    // ---- user references (R31) ----

    /// <summary>References held by the host (the kernel's usercnt: fds and pins). A new map holds one.</summary>
    internal int UserReferenceCount => Volatile.Read(ref _userReferences);

    internal void AddUserReference()
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        Interlocked.Increment(ref _userReferences);
    }

    /// <summary>Drops one user reference; dropping the last one tells the observer (timers are cancelled and freed).</summary>
    internal void ReleaseUserReference()
    {
        int current;
        do
        {
            current = Volatile.Read(ref _userReferences);
            if (current == 0) throw new InvalidOperationException($"map '{Name}' has no user references left");
        }
        while (Interlocked.CompareExchange(ref _userReferences, current - 1, current) != current);
        if (current == 1) ElementObserver?.OnUserReferencesReleased(this);
    }

    /// <summary>Drops every user reference (<c>release-maps</c>); no-op when none is left.</summary>
    internal void ReleaseUserReferences()
    {
        if (Interlocked.Exchange(ref _userReferences, 0) != 0) ElementObserver?.OnUserReferencesReleased(this);
    }

    // ---- host API (bpf syscall semantics) ----

    /// <summary>BPF_MAP_LOOKUP_ELEM: copies the value (all CPUs for per-CPU maps) with special fields zeroed.</summary>
    public virtual Errno Lookup(ReadOnlySpan<byte> key, Span<byte> value, MapUpdateFlags flags = MapUpdateFlags.Any) => Errno.EINVAL;

    /// <summary>BPF_MAP_UPDATE_ELEM.</summary>
    public virtual Errno Update(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, MapUpdateFlags flags = MapUpdateFlags.Any) => Errno.EINVAL;

    /// <summary>BPF_MAP_DELETE_ELEM.</summary>
    public virtual Errno Delete(ReadOnlySpan<byte> key) => Errno.EINVAL;

    /// <summary>BPF_MAP_GET_NEXT_KEY: an empty <paramref name="key"/> (NULL) or an unknown key gives the first key.</summary>
    public virtual Errno GetNextKey(ReadOnlySpan<byte> key, Span<byte> nextKey) => Errno.EINVAL;

    /// <summary>BPF_MAP_LOOKUP_AND_DELETE_ELEM (queue/stack pop; hash lookup then delete).</summary>
    public virtual Errno LookupAndDelete(ReadOnlySpan<byte> key, Span<byte> value, MapUpdateFlags flags = MapUpdateFlags.Any) => Errno.EINVAL;

    /// <summary>Every key in <see cref="GetNextKey"/> order (a snapshot taken by iterating).</summary>
    public List<byte[]> Keys()
    {
        var keys = new List<byte[]>();
        var current = Array.Empty<byte>();
        var next = new byte[KeySize];
        var limit = (long)MaxEntries + 1;
        while (GetNextKey(current, next) == Errno.None && keys.Count < limit)
        {
            keys.Add(next);
            current = next;
            next = new byte[KeySize];
        }
        return keys;
    }

    // ---- program API (what the helpers call) ----

    /// <summary><c>bpf_map_lookup_elem</c>: the value's real address (this run's CPU copy for per-CPU maps), or 0.</summary>
    internal virtual nint LookupElem(nint key) => 0;

    /// <summary><c>bpf_map_lookup_percpu_elem</c>: the copy of <paramref name="cpu"/>, 0 when out of range.</summary>
    internal virtual nint LookupPercpuElem(nint key, uint cpu) => 0;

    internal virtual long UpdateElem(nint key, nint value, ulong flags) => Errno.EINVAL.ToHelperResult();
    internal virtual long DeleteElem(nint key) => Errno.EINVAL.ToHelperResult();
    internal virtual long PushElem(nint value, ulong flags) => Errno.EINVAL.ToHelperResult();
    internal virtual long PopElem(nint value) => Errno.EINVAL.ToHelperResult();
    internal virtual long PeekElem(nint value) => Errno.EINVAL.ToHelperResult();

    /// <summary>
    /// For a value address a program obtained: the address of that element's key (HASH family: inside the
    /// element, valid while it lives), or 0 where the map has no key memory (arrays: use <see cref="ArrayMap.TryGetIndex"/>).
    /// What <c>bpf_timer_init</c> needs to give the callback its key argument.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal virtual nint KeyAddressOfValue(nint valueAddress) => 0;

    /// <summary>The run's CPU folded into this map's possible CPUs.</summary>
    private protected int CurrentCpu
    {
        get
        {
            var cpu = RunScope.CurrentCpu;
            return (uint)cpu < (uint)PossibleCpus ? cpu : (int)((uint)cpu % (uint)PossibleCpus);
        }
    }

    private protected void CheckKey(ReadOnlySpan<byte> key)
    {
        if (key.Length < KeySize) ThrowHelper.BufferTooSmall(nameof(key), KeySize, key.Length);
    }

    private protected void CheckHostValue(int length, string parameter)
    {
        if (length < HostValueSize) ThrowHelper.BufferTooSmall(parameter, HostValueSize, length);
    }

    private protected void ThrowIfDisposed()
    {
        if (IsDisposed) ThrowHelper.Disposed(Name);
    }

    private protected void NotifyReleasing(nint value, nint key, ElementReleaseReason reason) =>
        ElementObserver?.OnElementReleasing(this, value, key, reason);

    /// <summary>Cancels the timers in the map's values and frees its memory once no run in flight can still use it.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed[0], 1) != 0) return;
        ElementObserver?.OnMapDisposing(this);
        Publish(Id, null);
        FreeMemory();
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases all native memory (through the epoch manager, so runs in flight stay safe).</summary>
    protected abstract void FreeMemory();
}
