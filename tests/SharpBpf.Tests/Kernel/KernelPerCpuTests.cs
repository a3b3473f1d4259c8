using System.Buffers.Binary;
using SharpBpf.Kernel;

namespace SharpBpf.Tests.Kernel;

public class KernelPerCpuTests
{
    private static byte[] U32(uint value)
    {
        byte[] bytes = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        return bytes;
    }

    /// <summary>struct bump_args { u32 index; u32 amount; u64 result; }</summary>
    private static byte[] BumpArgs(uint index, uint amount)
    {
        byte[] args = new byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(args, index);
        BinaryPrimitives.WriteUInt32LittleEndian(args.AsSpan(4), amount);
        return args;
    }

    /// <summary>The kernel's own list, e.g. "0-1" or "0,2-3": an oracle independent of libbpf.</summary>
    private static int PossibleCpusFromSysfs()
    {
        int count = 0;
        foreach (string range in File.ReadAllText("/sys/devices/system/cpu/possible").Trim().Split(','))
        {
            string[] bounds = range.Split('-');
            count += bounds.Length == 1 ? 1 : int.Parse(bounds[1]) - int.Parse(bounds[0]) + 1;
        }
        return count;
    }

    [KernelFact]
    public void SyscallProgram_WritesItsContextBack_AndCountsOnTheCpuItRanOn()
    {
        using var obj = KernelObject.Open(KernelTestData.PathOf("percpu.o"));
        var bump = obj.Programs["bump"];
        var totals = obj.Maps["percpu_totals"];
        Assert.Equal(("syscall", "syscall", 31), (bump.SectionName, bump.TypeName, bump.ProgramType));

        var result = bump.Run(contextIn: BumpArgs(1, 5));

        int cpu = (int)result.ReturnValue;
        Assert.InRange(cpu, 0, totals.PossibleCpus - 1);
        Assert.Equal(16, result.ContextOut.Length);
        Assert.Equal(5UL, BinaryPrimitives.ReadUInt64LittleEndian(result.ContextOut.AsSpan(8)));
        Assert.Empty(result.DataOut);

        byte[][] values = totals.LookupPerCpu(U32(1))!;
        Assert.Equal(PossibleCpusFromSysfs(), values.Length);
        for (int i = 0; i < values.Length; i++)
            Assert.Equal(i == cpu ? 5UL : 0UL, BinaryPrimitives.ReadUInt64LittleEndian(values[i]));
    }

    [KernelFact]
    public void PerCpuValues_AreValueSizeBytesPerPossibleCpu_WithoutTheKernelsPadding()
    {
        using var obj = KernelObject.Open(KernelTestData.PathOf("percpu.o"));
        var calls = obj.Maps["percpu_calls"];
        Assert.True(calls.IsPerCpu);
        Assert.Equal(4, calls.ValueSize);
        Assert.Equal(8 * calls.PossibleCpus, calls.RawValueSize);

        var perCpu = Enumerable.Range(0, calls.PossibleCpus).Select(cpu => U32(0x01010101u * (uint)(cpu + 1))).ToArray();
        Assert.Equal(0, calls.UpdatePerCpu(U32(1), perCpu));
        var result = obj.Programs["bump"].Run(contextIn: BumpArgs(1, 1));
        int cpu = (int)result.ReturnValue;

        byte[][] values = calls.LookupPerCpu(U32(1))!;
        Assert.All(values, v => Assert.Equal(4, v.Length));
        for (int i = 0; i < values.Length; i++)
        {
            uint expected = 0x01010101u * (uint)(i + 1) + (i == cpu ? 1u : 0u);
            Assert.Equal(expected, BinaryPrimitives.ReadUInt32LittleEndian(values[i]));
        }

        // The raw layout really is 8-byte strides: CPU 1's value starts at byte 8.
        byte[] raw = new byte[calls.RawValueSize];
        Assert.Equal(0, calls.Lookup(U32(1), raw));
        if (calls.PossibleCpus > 1)
            Assert.Equal(values[1], raw[8..12]);
    }

    [KernelFact]
    public void PerCpuUpdate_WithOneValue_StoresItOnEveryCpu_AndEntriesCarryAllCpus()
    {
        using var obj = KernelObject.Open(KernelTestData.PathOf("percpu.o"));
        var totals = obj.Maps["percpu_totals"];

        Assert.Equal(0, totals.Update(U32(2), BitConverter.GetBytes(9UL)));
        var entries = totals.Entries();

        Assert.Equal(4, entries.Count);
        Assert.All(entries, e => Assert.Equal(totals.PossibleCpus, e.Values.Count));
        Assert.All(entries[2].Values, v => Assert.Equal(9UL, BitConverter.ToUInt64(v)));
        Assert.All(entries[0].Values, v => Assert.Equal(0UL, BitConverter.ToUInt64(v)));
        Assert.Throws<InvalidOperationException>(() => entries[0].Value);
        Assert.Throws<InvalidOperationException>(() => totals.Lookup(U32(0)));
    }

    [KernelFact]
    public void SyscallProgram_RepeatRunsOncePerCall_AndReportsNoDuration()
    {
        using var obj = KernelObject.Open(KernelTestData.PathOf("percpu.o"));

        var result = obj.Programs["bump"].Run(contextIn: BumpArgs(0, 5), repeat: 3);

        Assert.Equal(0u, result.DurationNs);
        ulong sum = obj.Maps["percpu_totals"].LookupPerCpu(U32(0))!.Aggregate(0UL, (s, v) => s + BitConverter.ToUInt64(v));
        Assert.Equal(15UL, sum);
    }
}
