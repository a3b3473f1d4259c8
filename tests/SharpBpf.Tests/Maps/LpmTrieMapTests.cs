using System.Buffers.Binary;
using SharpBpf.Maps;

namespace SharpBpf.Tests.Maps;

public unsafe class LpmTrieMapTests
{
    private static LpmTrieMap Trie(uint maxEntries = 8) =>
        (LpmTrieMap)BpfMap.Create(new MapDefinition("m", MapType.LpmTrie, 8, 4, maxEntries, MapCreateFlags.NoPrealloc), MapTestKit.Options());

    private static byte[] Key(uint length, byte a, byte b = 0, byte c = 0, byte d = 0)
    {
        var key = new byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(key, length);
        key[4] = a;
        key[5] = b;
        key[6] = c;
        key[7] = d;
        return key;
    }

    private static uint? Find(BpfMap map, byte[] key)
    {
        var value = new byte[4];
        return map.Lookup(key, value) == Errno.None ? BitConverter.ToUInt32(value) : null;
    }

    [Fact]
    public void Lookup_returns_the_longest_matching_prefix_up_to_the_keys_length()
    {
        using var trie = Trie();
        Assert.Equal(Errno.None, trie.Update(Key(8, 10), MapTestKit.U32(8)));
        Assert.Equal(Errno.None, trie.Update(Key(16, 10, 1), MapTestKit.U32(16)));
        Assert.Equal(Errno.None, trie.Update(Key(25, 10, 1, 2, 128), MapTestKit.U32(25)));

        Assert.Equal(25u, Find(trie, Key(32, 10, 1, 2, 200)));
        Assert.Equal(16u, Find(trie, Key(32, 10, 1, 2, 127)));
        Assert.Equal(8u, Find(trie, Key(32, 10, 2, 0, 0)));
        Assert.Null(Find(trie, Key(32, 11, 0, 0, 0)));
        // The key's own prefix length bounds the match: a /12 cannot see the /16.
        Assert.Equal(8u, Find(trie, Key(12, 10, 1, 2, 200)));
    }

    [Fact]
    public void Update_and_delete_give_the_kernels_errno()
    {
        using var trie = Trie(maxEntries: 2);
        Assert.Equal(Errno.EINVAL, trie.Update(Key(33, 10), MapTestKit.U32(1)));
        Assert.Equal(Errno.EINVAL, trie.Update(Key(8, 10), MapTestKit.U32(1), (MapUpdateFlags)3));
        Assert.Equal(Errno.ENOENT, trie.Update(Key(8, 10), MapTestKit.U32(1), MapUpdateFlags.Exist));
        Assert.Equal(Errno.None, trie.Update(Key(8, 10), MapTestKit.U32(1), MapUpdateFlags.NoExist));
        // Bits past the prefix do not make another entry.
        Assert.Equal(Errno.EEXIST, trie.Update(Key(8, 10, 99), MapTestKit.U32(2), MapUpdateFlags.NoExist));
        Assert.Equal(Errno.None, trie.Update(Key(0, 0), MapTestKit.U32(0)));
        Assert.Equal(Errno.ENOSPC, trie.Update(Key(16, 10, 1), MapTestKit.U32(3)));
        Assert.Equal(Errno.None, trie.Update(Key(8, 10, 5), MapTestKit.U32(4)));
        Assert.Equal(Errno.ENOENT, trie.Delete(Key(16, 10, 1)));
        Assert.Equal(Errno.EINVAL, trie.Delete(Key(40, 10)));
        Assert.Equal(Errno.None, trie.Delete(Key(8, 10, 77)));
        Assert.Equal(0u, Find(trie, Key(32, 10, 1, 1, 1)));
        Assert.Equal(1, trie.Count);
    }

    [Fact]
    public void Get_next_key_walks_in_postorder_and_restarts_on_an_unknown_key()
    {
        using var trie = Trie();
        byte[][] keys = [Key(16, 192, 168), Key(24, 192, 168, 0), Key(24, 192, 168, 1), Key(24, 192, 168, 128), Key(8, 10), Key(0, 0)];
        foreach (var key in keys) Assert.Equal(Errno.None, trie.Update(key, MapTestKit.U32(1)));

        var order = trie.Keys().Select(Convert.ToHexStringLower).ToArray();

        byte[][] expected = [Key(8, 10), Key(24, 192, 168, 0), Key(24, 192, 168, 1), Key(24, 192, 168, 128), Key(16, 192, 168), Key(0, 0)];
        Assert.Equal(expected.Select(Convert.ToHexStringLower), order);
        var next = new byte[8];
        Assert.Equal(Errno.None, trie.GetNextKey(Key(24, 1, 2, 3), next));
        Assert.Equal(Key(8, 10), next);
        Assert.Equal(Errno.ENOENT, trie.GetNextKey(Key(0, 0), next));
    }

    [Fact]
    public void Programs_see_the_same_matches()
    {
        using var trie = Trie();
        trie.Update(Key(8, 10), MapTestKit.U32(8));
        var key = Key(32, 10, 9, 9, 9);
        using var run = trie.Options.Epochs.EnterRun();
        fixed (byte* k = key)
        {
            var value = trie.LookupElem((nint)k);
            Assert.NotEqual(0, value);
            Assert.Equal(8u, *(uint*)value);
            var one = MapTestKit.U32(1);
            fixed (byte* v = one)
            {
                // 10.9.9.9/32 is a new entry; the existing /8 refuses BPF_NOEXIST.
                Assert.Equal(0, trie.UpdateElem((nint)k, (nint)v, 1));
                var slash8 = Key(8, 10, 200);
                fixed (byte* s8 = slash8) Assert.Equal(-(long)Errno.EEXIST, trie.UpdateElem((nint)s8, (nint)v, 1));
            }

            Assert.Equal(1u, *(uint*)trie.LookupElem((nint)k));
        }
    }
}
