using SharpBpf.Maps;
using System.Text;
using SharpBpf.Kernel.Internal;

namespace SharpBpf.Kernel;

/// <summary>
/// A BPF ELF object loaded into the running Linux kernel by libbpf 1.1: every map created, every program
/// verified by the kernel's verifier and loaded. Programs run through BPF_PROG_TEST_RUN; maps are read and
/// written through the bpf(2) map commands. This is the "kernel" engine: the same object the SharpBpf runtime
/// loads, executed by Linux, for differential tests and <c>sharpbpf run --engine kernel</c>.
/// <para>Maps declared with <c>LIBBPF_PIN_BY_NAME</c> are pinned in a private bpffs directory made for this object
/// (<see cref="PinDirectory"/>) and unpinned when it is disposed or its maps released, so every object starts from
/// fresh maps and nothing outlives it. It does not attach programs to hooks, read BTF, or run without root
/// (see <see cref="KernelAvailability"/>). libbpf's log never reaches the console: it is captured and
/// carried by <see cref="KernelLoadException"/>. Instances are not thread-safe.</para>
/// </summary>
internal sealed class KernelObject : IDisposable
{
    private nint _libBpfObject;
    private readonly List<int> _ownedProgramFds = [];
    private PrivatePinDirectory? _pins;
    private bool _disposed;

    private KernelObject(string name, string? fileName)
    {
        Name = name;
        FileName = fileName;
        Programs = new KernelNamedCollection<KernelProgram>([], p => p.Name, "program");
        Maps = new KernelNamedCollection<KernelMap>([], m => m.Name, "map");
    }

    /// <summary>libbpf's object name: the file name up to its first dot, or the name given for bytes.</summary>
    public string Name { get; }

    /// <summary>The file name (without folders) for <see cref="Open(string)"/>, the object name for bytes.</summary>
    public string? FileName { get; }

    /// <summary>The loaded programs in object order (programs libbpf does not auto-load, <c>?</c> sections, are absent).</summary>
    public KernelNamedCollection<KernelProgram> Programs { get; private set; }

    /// <summary>The object's maps in object order, global-data maps included under libbpf's names.</summary>
    public KernelNamedCollection<KernelMap> Maps { get; private set; }

    /// <summary>The private bpffs directory libbpf pins <c>LIBBPF_PIN_BY_NAME</c> maps in (its <c>pin_root_path</c>);
    /// null when bpffs could not be used, and removed with every pin in it on <see cref="Dispose"/> and
    /// <see cref="ReleaseMaps"/>.</summary>
    public string? PinDirectory => _pins?.Path;

    /// <summary>True after <see cref="ReleaseMaps"/>.</summary>
    public bool MapsReleased { get; private set; }

    /// <summary>Opens and loads an object file. Throws <see cref="KernelLoadException"/> when libbpf or the kernel
    /// refuses it (the verifier's log is in the message), <see cref="InvalidOperationException"/> when the kernel
    /// engine is unavailable here.</summary>
    public static KernelObject Open(string path) => Open(path, onlyProgram: null);

    /// <summary>
    /// As <see cref="Open(string)"/>, loading only the program named <paramref name="onlyProgram"/> (with the maps and
    /// subprograms it uses), so the kernel's verdict on that one program is not hidden behind another's rejection.
    /// </summary>
    public static KernelObject Open(string path, string? onlyProgram)
    {
        ArgumentNullException.ThrowIfNull(path);
        KernelAvailability.ThrowIfUnavailable();
        if (!File.Exists(path)) throw new FileNotFoundException($"object file '{path}' not found", path);
        string fileName = Path.GetFileName(path);
        using var log = LibBpfLog.Capture();
        var pins = PrivatePinDirectory.TryCreate();
        nint handle;
        int errno;
        unsafe
        {
            byte[] pathBytes = NullTerminated(path);
            byte[]? pinRootBytes = pins is null ? null : NullTerminated(pins.Path);
            BpfObjectOpenOptions options = default;
            options.Size = BpfObjectOpenOptions.StructSize;
            fixed (byte* pathPointer = pathBytes)
            fixed (byte* pinRootPointer = pinRootBytes)
            {
                // libbpf copies the pin root at open, so the buffer need not outlive this call.
                options.PinRootPath = (nint)pinRootPointer;
                handle = LibBpf.ObjectOpenFile(pathPointer, &options);
            }
            errno = handle == 0 ? System.Runtime.InteropServices.Marshal.GetLastPInvokeError() : 0;
        }
        if (handle != 0 && onlyProgram is not null) LoadOnly(handle, onlyProgram, fileName, pins);
        return Load(handle, errno, fileName, log, pins);
    }

    private static void LoadOnly(nint handle, string program, string fileName, PrivatePinDirectory? pins)
    {
        var found = false;
        for (nint candidate = LibBpf.ObjectNextProgram(handle, 0); candidate != 0; candidate = LibBpf.ObjectNextProgram(handle, candidate))
        {
            var isIt = LibBpf.ToText(LibBpf.ProgramName(candidate)) == program;
            found |= isIt;
            LibBpf.ProgramSetAutoload(candidate, isIt);
        }

        if (!found)
        {
            LibBpf.ObjectClose(handle);
            pins?.Remove();
            throw new KeyNotFoundException($"{fileName} has no program named '{program}'");
        }
    }

    /// <summary>Opens and loads an object from its bytes. <paramref name="objectName"/> plays the role of the
    /// file name: libbpf cuts it at the first dot and prefixes global-data map names with it.</summary>
    public static KernelObject Open(ReadOnlySpan<byte> elf, string objectName)
    {
        ArgumentException.ThrowIfNullOrEmpty(objectName);
        if (elf.IsEmpty) throw new ArgumentException("the object is empty", nameof(elf));
        KernelAvailability.ThrowIfUnavailable();
        using var log = LibBpfLog.Capture();
        var pins = PrivatePinDirectory.TryCreate();
        nint handle;
        int errno;
        unsafe
        {
            byte[] nameBytes = NullTerminated(objectName);
            byte[]? pinRootBytes = pins is null ? null : NullTerminated(pins.Path);
            fixed (byte* elfPointer = elf)
            fixed (byte* namePointer = nameBytes)
            fixed (byte* pinRootPointer = pinRootBytes)
            {
                BpfObjectOpenOptions options = default;
                options.Size = BpfObjectOpenOptions.StructSize;
                options.ObjectName = (nint)namePointer;
                options.PinRootPath = (nint)pinRootPointer;
                // libbpf keeps no pointer into the buffer after open: it copies the ELF image.
                handle = LibBpf.ObjectOpenMemory(elfPointer, (nuint)elf.Length, &options);
            }
            errno = handle == 0 ? System.Runtime.InteropServices.Marshal.GetLastPInvokeError() : 0;
        }
        return Load(handle, errno, objectName, log, pins);
    }

    /// <summary>
    /// Drops every user reference this process holds to the object's maps while the programs stay loaded and
    /// runnable — what closing the last map fd or removing the last bpffs pin does in Linux. The kernel then
    /// cancels and frees every bpf_timer in those maps (no callback runs afterwards), and a later
    /// <c>bpf_timer_init</c> on them returns -EPERM (timer spec R12, R31). Idempotent.
    /// </summary>
    /// <remarks>
    /// How no user reference is left:
    /// <list type="bullet">
    /// <item>A map's user count is held by map fds (including by-id fds), bpffs pins, and mmap()s of the map
    /// (the mapping keeps the map's file open). A program's use of a map holds only the plain refcount.</item>
    /// <item>This object holds map fds only through libbpf: its own fds per map, plus the mmap()s libbpf makes
    /// of global-data (.data/.bss) maps. <c>bpf_object__close</c> munmaps and closes all of them, and the BTF fd.
    /// Maps pinned by name are pinned only in this object's private directory, whose pins are unlinked too.</item>
    /// <item>Before closing, each program fd is dup()ed: a program fd holds the program, and the program holds
    /// its maps (refcount, not user count), so programs stay runnable and their maps stay alive.</item>
    /// <item>Maps no program uses are freed entirely by the close.</item>
    /// </list>
    /// Reading maps afterwards opens them by id for the duration of one call (see <see cref="KernelMap"/>):
    /// BPF_MAP_GET_FD_BY_ID takes a user reference on Linux 6.18 (<c>__bpf_map_inc_not_zero(map, true)</c>),
    /// so during that call timers could be initialized again by a concurrently running program; closing the fd
    /// frees them again. Run programs and read maps from one thread and the released state is exact.
    /// </remarks>
    public void ReleaseMaps()
    {
        ThrowIfDisposed();
        if (MapsReleased) return;
        var duplicates = new List<int>(Programs.Count);
        foreach (var program in Programs)
        {
            int duplicate = LibC.Dup(program.Fd);
            if (duplicate < 0)
            {
                int errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
                foreach (int fd in duplicates) LibC.Close(fd);
                throw new KernelCallException($"dup() of the fd of program '{program.Name}'", errno);
            }
            duplicates.Add(duplicate);
        }

        using (LibBpfLog.Capture())
            LibBpf.ObjectClose(_libBpfObject);
        _libBpfObject = 0;
        // A pin is a user reference like an fd; the directory goes with it.
        RemovePins();
        for (int i = 0; i < Programs.Count; i++) Programs[i].Fd = duplicates[i];
        _ownedProgramFds.AddRange(duplicates);
        MapsReleased = true;
    }

    /// <summary>
    /// Lets real time pass, for the CLI's <c>wait:</c> step with the kernel engine: the kernel's hrtimers fire
    /// timer callbacks on their own while this thread sleeps. This is the one place in the engine where
    /// sleeping is the point; nothing here advances or observes time otherwise.
    /// </summary>
    public void WaitRealTime(TimeSpan duration)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(duration, TimeSpan.Zero);
        ThrowIfDisposed();
        Thread.Sleep(duration);
    }

    /// <summary>Closes the object: programs and maps are freed by the kernel once nothing else holds them.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        ReleaseNative();
        GC.SuppressFinalize(this);
    }

    ~KernelObject() => ReleaseNative();

    internal void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    /// <summary>An fd for one map operation: libbpf's while the object is open, a by-id fd after release.</summary>
    internal MapFdLease LeaseMapFd(KernelMap map)
    {
        ThrowIfDisposed();
        if (!MapsReleased) return new MapFdLease(map.LibBpfFd, owned: false);
        int fd = LibBpf.MapGetFdById(map.Id);
        if (fd < 0)
        {
            throw new KernelCallException($"BPF_MAP_GET_FD_BY_ID of map '{map.Name}' (id {map.Id})", fd,
                ErrnoText.Of(fd) == Errno.ENOENT ? "The map was freed when its user references were released: no loaded program uses it." : null);
        }
        return new MapFdLease(fd, owned: true);
    }

    internal readonly struct MapFdLease(int fd, bool owned) : IDisposable
    {
        public int Fd { get; } = fd;

        public void Dispose()
        {
            if (owned) LibC.Close(Fd);
        }
    }

    private void ReleaseNative()
    {
        if (_libBpfObject != 0)
        {
            using (LibBpfLog.Capture())
                LibBpf.ObjectClose(_libBpfObject);
            _libBpfObject = 0;
        }
        foreach (int fd in _ownedProgramFds) LibC.Close(fd);
        _ownedProgramFds.Clear();
        RemovePins();
    }

    private void RemovePins()
    {
        _pins?.Remove();
        _pins = null;
    }

    private static KernelObject Load(nint handle, int openErrno, string displayName, LibBpfLog.Scope log, PrivatePinDirectory? pins)
    {
        string? fileName = displayName;
        if (handle == 0)
        {
            pins?.Remove();
            throw new KernelLoadException("libbpf cannot open the object", fileName, null, openErrno, log.Text);
        }

        // Without a private directory libbpf would pin into the shared bpffs root; not pinning at all is the only
        // way then to keep a run from reusing (and outliving into) another run's maps.
        if (pins is null) DisablePinning(handle);
        TypeSectionsLibBpfDoesNotKnow(handle);
        int loaded = LibBpf.ObjectLoad(handle);
        if (loaded < 0)
        {
            string text = log.Text;
            LibBpf.ObjectClose(handle);
            pins?.Remove();
            string? program = KernelLoadException.FindFailedProgram(text);
            string summary = program is not null ? "rejected by the kernel" : "libbpf cannot load the object";
            throw new KernelLoadException(summary, fileName, program, -loaded, text);
        }

        var result = new KernelObject(LibBpf.ToText(LibBpf.ObjectName(handle)) ?? displayName, fileName)
        {
            _libBpfObject = handle,
            _pins = pins,
        };
        try
        {
            result.Describe();
        }
        catch
        {
            result.Dispose();
            throw;
        }
        return result;
    }

    /// <summary>
    /// The machine's libbpf (1.1) leaves the type of newer section names (<c>cgroup/connect_unix</c>, <c>tcx/ingress</c>…)
    /// unspecified, and the kernel then refuses the program without a verifier log; SharpBpf's own table knows them, so
    /// the kernel judges the program as a newer libbpf would load it.
    /// </summary>
    private static void TypeSectionsLibBpfDoesNotKnow(nint handle)
    {
        for (nint program = LibBpf.ObjectNextProgram(handle, 0); program != 0; program = LibBpf.ObjectNextProgram(handle, program))
        {
            if (LibBpf.ProgramType(program) != 0 || LibBpf.ToText(LibBpf.ProgramSectionName(program)) is not { } section
                || Loader.SectionConventions.Find(section.TrimStart('?')) is not { } convention)
            {
                continue;
            }

            // Both fail only once the object is loaded, which it is not yet.
            if (LibBpf.ProgramSetType(program, (int)convention.Type) == 0 && convention.ExpectedAttachType is { } attach)
            {
                _ = LibBpf.ProgramSetExpectedAttachType(program, (int)attach);
            }
        }
    }

    private static unsafe void DisablePinning(nint handle)
    {
        for (nint map = LibBpf.ObjectNextMap(handle, 0); map != 0; map = LibBpf.ObjectNextMap(handle, map))
            _ = LibBpf.MapSetPinPath(map, null); // clearing a pin path only frees a string: it cannot fail
    }

    private unsafe void Describe()
    {
        var programs = new List<KernelProgram>();
        for (nint program = LibBpf.ObjectNextProgram(_libBpfObject, 0); program != 0;
             program = LibBpf.ObjectNextProgram(_libBpfObject, program))
        {
            int fd = LibBpf.ProgramFd(program);
            if (fd < 0) continue;
            int type = LibBpf.ProgramType(program);
            programs.Add(new KernelProgram(this,
                LibBpf.ToText(LibBpf.ProgramName(program)) ?? "",
                LibBpf.ToText(LibBpf.ProgramSectionName(program)) ?? "",
                type, LibBpf.ToText(LibBpf.ProgramTypeString(type)) ?? $"prog_type_{type}", fd));
        }

        int possibleCpus = LibBpf.NumPossibleCpus();
        if (possibleCpus <= 0) throw new KernelCallException("libbpf_num_possible_cpus", possibleCpus);
        var maps = new List<KernelMap>();
        for (nint map = LibBpf.ObjectNextMap(_libBpfObject, 0); map != 0; map = LibBpf.ObjectNextMap(_libBpfObject, map))
        {
            int fd = LibBpf.MapFd(map);
            if (fd < 0) continue;
            string name = LibBpf.ToText(LibBpf.MapName(map)) ?? "";
            BpfMapInfo info = default;
            uint length = BpfMapInfo.StructSize;
            int result = LibBpf.ObjectGetInfoByFd(fd, &info, &length);
            if (result < 0) throw new KernelCallException($"BPF_OBJ_GET_INFO_BY_FD of map '{name}'", result);
            int type = LibBpf.MapType(map);
            maps.Add(new KernelMap(this, name, type,
                LibBpf.ToText(LibBpf.MapTypeString(type)) ?? $"map_type_{type}",
                (int)LibBpf.MapKeySize(map), (int)LibBpf.MapValueSize(map), LibBpf.MapMaxEntries(map),
                LibBpf.MapFlags(map), info.Id, fd, possibleCpus));
        }

        Programs = new KernelNamedCollection<KernelProgram>(programs, p => p.Name, "program");
        Maps = new KernelNamedCollection<KernelMap>(maps, m => m.Name, "map");
    }

    private static byte[] NullTerminated(string text)
    {
        byte[] bytes = new byte[Encoding.UTF8.GetByteCount(text) + 1];
        Encoding.UTF8.GetBytes(text, bytes);
        return bytes;
    }
}
