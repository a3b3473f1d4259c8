using System.Runtime.InteropServices;

namespace SharpBpf.Kernel.Internal;

/// <summary>
/// <c>struct bpf_object_open_opts</c> of libbpf 1.1 on LP64 (sizeof = 80; libbpf rejects a struct whose bytes
/// past the fields it knows are not zero, so every field is spelled out, including the removed
/// <c>attach_prog_fd</c> slot).
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 80)]
internal struct BpfObjectOpenOptions
{
    public const int StructSize = 80;
    [FieldOffset(0)] public nuint Size;
    [FieldOffset(8)] public nint ObjectName;
    [FieldOffset(16)] public byte RelaxedMaps;
    [FieldOffset(24)] public nint PinRootPath;
    [FieldOffset(32)] public uint RemovedAttachProgramFd;
    [FieldOffset(40)] public nint KernelConfig;
    [FieldOffset(48)] public nint BtfCustomPath;
    [FieldOffset(56)] public nint KernelLogBuffer;
    [FieldOffset(64)] public nuint KernelLogSize;
    [FieldOffset(72)] public uint KernelLogLevel;
}

/// <summary><c>struct bpf_test_run_opts</c> of libbpf 1.1 on LP64 (sizeof = 80, last field <c>batch_size</c>).</summary>
[StructLayout(LayoutKind.Explicit, Size = 80)]
internal struct BpfTestRunOptions
{
    public const int StructSize = 80;
    [FieldOffset(0)] public nuint Size;
    [FieldOffset(8)] public nint DataIn;
    [FieldOffset(16)] public nint DataOut;
    [FieldOffset(24)] public uint DataSizeIn;
    /// <summary>In: capacity of <see cref="DataOut"/>; out: the real output size (even when it did not fit).</summary>
    [FieldOffset(28)] public uint DataSizeOut;
    [FieldOffset(32)] public nint ContextIn;
    [FieldOffset(40)] public nint ContextOut;
    [FieldOffset(48)] public uint ContextSizeIn;
    [FieldOffset(52)] public uint ContextSizeOut;
    [FieldOffset(56)] public uint ReturnValue;
    [FieldOffset(60)] public int Repeat;
    /// <summary>Average nanoseconds per repetition.</summary>
    [FieldOffset(64)] public uint Duration;
    [FieldOffset(68)] public uint Flags;
    [FieldOffset(72)] public uint Cpu;
    [FieldOffset(76)] public uint BatchSize;
}

/// <summary>The UAPI <c>struct bpf_map_info</c> as of Linux 6.1 (88 bytes); newer kernels append fields and copy
/// only as many bytes as we offer.</summary>
[StructLayout(LayoutKind.Explicit, Size = 88)]
internal struct BpfMapInfo
{
    public const int StructSize = 88;
    [FieldOffset(0)] public uint Type;
    [FieldOffset(4)] public uint Id;
    [FieldOffset(8)] public uint KeySize;
    [FieldOffset(12)] public uint ValueSize;
    [FieldOffset(16)] public uint MaxEntries;
    [FieldOffset(20)] public uint MapFlags;
    [FieldOffset(64)] public uint BtfId;
}
