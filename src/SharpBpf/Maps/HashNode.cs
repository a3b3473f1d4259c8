namespace SharpBpf.Maps;

/// <summary>
/// One hash element: a managed key copy (compared without touching native memory) and a native block holding
/// the value area (one value, or one 8-byte-rounded slot per CPU) followed by the key bytes (the key pointer a
/// timer callback receives). Chains are read without locks; <see cref="Next"/> of an unlinked node still leads
/// on, so a reader that raced with the unlink finishes its walk. A preallocated (<see cref="Pooled"/>) node is reused
/// for another key once released: <see cref="Bucket"/> tells a reader that its walk left its chain (then it starts
/// again, as the kernel's lookups do on a nulls marker of another bucket).
/// </summary>
internal sealed class HashNode(byte[] key, uint hash, nint block, nint keyAddress, bool pooled = false)
{
    public readonly byte[] Key = key;
    public uint Hash = hash;

    /// <summary>The key's first 8 bytes: the whole key when it is that short, compared without <see cref="Key"/>.</summary>
    public ulong KeyHead;
    public uint Bucket;
    public readonly nint Block = block;
    public readonly nint KeyAddress = keyAddress;
    public readonly bool Pooled = pooled;
    public HashNode? Next;

    // LRU list, guarded by the map's write lock; Referenced is set lock-free by lookups (the kernel's ref bit).
    public HashNode? LruNewer;
    public HashNode? LruOlder;
    public int Referenced;
}
