namespace SharpBpf.Helpers;

/// <summary>What a program (or a helper on its behalf) may do with a memory region.</summary>
[Flags]
internal enum MemoryAccess
{
    None = 0,
    Read = 1,
    Write = 2,
    ReadWrite = Read | Write,
}
