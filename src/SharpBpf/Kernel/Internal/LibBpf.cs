using System.Runtime.InteropServices;

namespace SharpBpf.Kernel.Internal;

/// <summary>
/// P/Invoke declarations for Debian's libbpf 1.1 (<c>libbpf.so.1</c>), checked against the 1.1.2 headers in
/// <c>/usr/include/bpf</c>. libbpf ≥ 1.0 returns <c>-errno</c> from the low-level <c>bpf_*</c> wrappers and
/// NULL plus <c>errno</c> from the object constructors. Only the calls the kernel engine needs are declared;
/// this file deliberately exposes no libbpf features beyond open/load/close, introspection, map element access,
/// ring buffer consumption and test runs.
/// </summary>
internal static unsafe partial class LibBpf
{
    public const string Library = "libbpf.so.1";

    public const int PrintWarn = 0;
    public const int PrintInfo = 1;
    public const int PrintDebug = 2;

    [LibraryImport(Library, EntryPoint = "ring_buffer__new", SetLastError = true)]
    public static partial nint RingBufferNew(int mapFd, delegate* unmanaged[Cdecl]<nint, byte*, nuint, int> sampleCallback, nint context, nint options);

    [LibraryImport(Library, EntryPoint = "ring_buffer__consume")]
    public static partial int RingBufferConsume(nint ringBuffer);

    [LibraryImport(Library, EntryPoint = "ring_buffer__free")]
    public static partial void RingBufferFree(nint ringBuffer);

    [LibraryImport(Library, EntryPoint = "libbpf_set_print")]
    public static partial nint SetPrint(delegate* unmanaged[Cdecl]<int, byte*, nint, int> printFunction);

    [LibraryImport(Library, EntryPoint = "libbpf_version_string")]
    public static partial nint VersionString();

    /// <summary>Describes an errno, including libbpf's own codes 4000-4013 (LIBBPF_ERRNO__*).</summary>
    [LibraryImport(Library, EntryPoint = "libbpf_strerror")]
    public static partial int StrError(int error, byte* buffer, nuint size);

    [LibraryImport(Library, EntryPoint = "libbpf_num_possible_cpus")]
    public static partial int NumPossibleCpus();

    [LibraryImport(Library, EntryPoint = "libbpf_bpf_prog_type_str")]
    public static partial nint ProgramTypeString(int programType);

    [LibraryImport(Library, EntryPoint = "libbpf_bpf_map_type_str")]
    public static partial nint MapTypeString(int mapType);

    [LibraryImport(Library, EntryPoint = "bpf_object__open_file", SetLastError = true)]
    public static partial nint ObjectOpenFile(byte* path, BpfObjectOpenOptions* options);

    [LibraryImport(Library, EntryPoint = "bpf_object__open_mem", SetLastError = true)]
    public static partial nint ObjectOpenMemory(byte* buffer, nuint size, BpfObjectOpenOptions* options);

    [LibraryImport(Library, EntryPoint = "bpf_object__load")]
    public static partial int ObjectLoad(nint bpfObject);

    [LibraryImport(Library, EntryPoint = "bpf_object__close")]
    public static partial void ObjectClose(nint bpfObject);

    [LibraryImport(Library, EntryPoint = "bpf_object__name")]
    public static partial nint ObjectName(nint bpfObject);

    [LibraryImport(Library, EntryPoint = "bpf_object__next_program")]
    public static partial nint ObjectNextProgram(nint bpfObject, nint previousProgram);

    [LibraryImport(Library, EntryPoint = "bpf_object__next_map")]
    public static partial nint ObjectNextMap(nint bpfObject, nint previousMap);

    [LibraryImport(Library, EntryPoint = "bpf_program__set_autoload")]
    public static partial int ProgramSetAutoload(nint program, [MarshalAs(UnmanagedType.U1)] bool autoload);

    [LibraryImport(Library, EntryPoint = "bpf_program__name")]
    public static partial nint ProgramName(nint program);

    [LibraryImport(Library, EntryPoint = "bpf_program__section_name")]
    public static partial nint ProgramSectionName(nint program);

    [LibraryImport(Library, EntryPoint = "bpf_program__type")]
    public static partial int ProgramType(nint program);

    [LibraryImport(Library, EntryPoint = "bpf_program__set_type")]
    public static partial int ProgramSetType(nint program, int type);

    [LibraryImport(Library, EntryPoint = "bpf_program__set_expected_attach_type")]
    public static partial int ProgramSetExpectedAttachType(nint program, int attachType);

    [LibraryImport(Library, EntryPoint = "bpf_program__fd")]
    public static partial int ProgramFd(nint program);

    [LibraryImport(Library, EntryPoint = "bpf_map__name")]
    public static partial nint MapName(nint map);

    [LibraryImport(Library, EntryPoint = "bpf_map__type")]
    public static partial int MapType(nint map);

    [LibraryImport(Library, EntryPoint = "bpf_map__key_size")]
    public static partial uint MapKeySize(nint map);

    [LibraryImport(Library, EntryPoint = "bpf_map__value_size")]
    public static partial uint MapValueSize(nint map);

    [LibraryImport(Library, EntryPoint = "bpf_map__max_entries")]
    public static partial uint MapMaxEntries(nint map);

    [LibraryImport(Library, EntryPoint = "bpf_map__map_flags")]
    public static partial uint MapFlags(nint map);

    /// <summary>Before load: where the map is pinned; NULL means the map is not pinned at all.</summary>
    [LibraryImport(Library, EntryPoint = "bpf_map__set_pin_path")]
    public static partial int MapSetPinPath(nint map, byte* path);

    [LibraryImport(Library, EntryPoint = "bpf_map__fd")]
    public static partial int MapFd(nint map);

    [LibraryImport(Library, EntryPoint = "bpf_map_lookup_elem")]
    public static partial int MapLookupElement(int fd, byte* key, byte* value);

    [LibraryImport(Library, EntryPoint = "bpf_map_update_elem")]
    public static partial int MapUpdateElement(int fd, byte* key, byte* value, ulong flags);

    [LibraryImport(Library, EntryPoint = "bpf_map_delete_elem")]
    public static partial int MapDeleteElement(int fd, byte* key);

    [LibraryImport(Library, EntryPoint = "bpf_map_get_next_key")]
    public static partial int MapGetNextKey(int fd, byte* key, byte* nextKey);

    [LibraryImport(Library, EntryPoint = "bpf_map_get_fd_by_id")]
    public static partial int MapGetFdById(uint id);

    [LibraryImport(Library, EntryPoint = "bpf_obj_get_info_by_fd")]
    public static partial int ObjectGetInfoByFd(int fd, void* info, uint* infoLength);

    [LibraryImport(Library, EntryPoint = "bpf_prog_test_run_opts")]
    public static partial int ProgramTestRun(int programFd, BpfTestRunOptions* options);

    public static string? ToText(nint utf8) => utf8 == 0 ? null : Marshal.PtrToStringUTF8(utf8);
}
