namespace SharpBpf.Timers;

/// <summary>
/// Sorts heap entries into the heap's order, (deadline, sequence): a stable LSD radix sort on the deadline (eight bits
/// per pass, sign bit flipped, passes whose byte is the same in every entry skipped), then each group of equal
/// deadlines by sequence. Input already in order (timers armed in deadline order) is detected and left alone. For a
/// million entries it is several times faster than a comparison sort and reads memory in order. It does not look at
/// the timer index.
/// </summary>
internal static class TimerEntrySorter
{
    private const int Passes = 8;

    /// <param name="scratch">As long as <paramref name="entries"/>; its contents are overwritten.</param>
    public static void Sort(Span<TimerHeap.Entry> entries, Span<TimerHeap.Entry> scratch)
    {
        var n = entries.Length;
        if (n < 2 || IsSorted(entries))
        {
            return;
        }

        var counts = new int[Passes * 256];
        foreach (var entry in entries)
        {
            var key = Key(entry);
            for (var b = 0; b < Passes; b++)
            {
                counts[(b * 256) + (int)((key >> (8 * b)) & 0xFF)]++;
            }
        }

        var source = entries;
        var target = scratch;
        var inScratch = false;
        Span<int> offsets = stackalloc int[256];
        for (var pass = 0; pass < Passes; pass++)
        {
            var histogram = counts.AsSpan(pass * 256, 256);
            if (histogram.Contains(n))
            {
                continue; // every entry has the same byte here
            }

            var total = 0;
            for (var k = 0; k < 256; k++)
            {
                offsets[k] = total;
                total += histogram[k];
            }

            var shift = 8 * pass;
            foreach (var entry in source)
            {
                target[offsets[(int)((Key(entry) >> shift) & 0xFF)]++] = entry;
            }

            var swap = source;
            source = target;
            target = swap;
            inScratch = !inScratch;
        }

        if (inScratch)
        {
            source.CopyTo(entries);
        }

        SortTiesBySequence(entries);
    }

    private static ulong Key(in TimerHeap.Entry entry) => (ulong)entry.Deadline ^ (1UL << 63);

    private static bool IsSorted(Span<TimerHeap.Entry> entries)
    {
        for (var i = 1; i < entries.Length; i++)
        {
            ref var a = ref entries[i - 1];
            ref var b = ref entries[i];
            if (a.Deadline > b.Deadline || (a.Deadline == b.Deadline && a.Sequence > b.Sequence))
            {
                return false;
            }
        }

        return true;
    }

    // The radix passes kept equal deadlines in their input order, which is heap order, not arming order.
    private static void SortTiesBySequence(Span<TimerHeap.Entry> entries)
    {
        var start = 0;
        for (var i = 1; i <= entries.Length; i++)
        {
            if (i < entries.Length && entries[i].Deadline == entries[start].Deadline)
            {
                continue;
            }

            if (i - start > 1)
            {
                entries.Slice(start, i - start).Sort(static (a, b) => a.Sequence.CompareTo(b.Sequence));
            }

            start = i;
        }
    }
}
