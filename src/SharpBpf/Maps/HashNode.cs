namespace SharpBpf.Maps;

/// <summary>
/// One hash element: a managed key copy (compared without touching native memory) and a native block holding
/// the value area (one value, or one 8-byte-rounded slot per CPU) followed by the key bytes (the key pointer a
/// timer callback receives). Chains are read without locks; <see cref="Next"/> of an unlinked node still leads
/// on, so a reader that raced with the unlink finishes its walk.
/// </summary>
internal sealed class HashNode(byte[] key, uint hash, nint block, nint keyAddress)
{
    public readonly byte[] Key = key;
    public readonly uint Hash = hash;
    public readonly nint Block = block;
    public readonly nint KeyAddress = keyAddress;
    public HashNode? Next;

    // LRU list, guarded by the map's write lock; Referenced is set lock-free by lookups (the kernel's ref bit).
    public HashNode? LruNewer;
    public HashNode? LruOlder;
    public int Referenced;
}
