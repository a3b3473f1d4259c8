using System.Buffers.Binary;
using SharpBpf.Elf;

namespace SharpBpf.Tests.Elf;

/// <summary>
/// Random damage to every committed object — byte flips, truncations, and plausible-but-wrong values in header
/// fields — must end in a successful read or an <see cref="ObjectLoadException"/>, never another exception
/// or a hang (a hang stalls the run; how fast reads are is not this test's business). Seeded, so a failure names the
/// seed and iteration that reproduce it.
/// </summary>
public sealed class ElfFuzzTests
{
    private const int IterationsPerObject = 1000;

    public static TheoryData<string> Objects() => ElfTestFiles.AllObjectNames();

    [Theory]
    [MemberData(nameof(Objects))]
    public void Mutated_objects_fail_only_with_ObjectLoadException(string objectName)
    {
        var original = File.ReadAllBytes(ElfTestFiles.PathOf(objectName));
        var seed = StableSeed(objectName);
        var random = new Random(seed);
        var parsed = ElfFile.Read(original, objectName);
        var shoff = (int)parsed.Header.SectionHeaderOffset;
        int rejected = 0, accepted = 0;

        for (var iteration = 0; iteration < IterationsPerObject; iteration++)
        {
            var mutated = Mutate(original, random, shoff, parsed);
            try
            {
                var elf = ElfFile.Read(mutated, objectName);
                accepted++;
                // Whatever was accepted must be self-consistent.
                foreach (var section in elf.Sections)
                    Assert.True(section.IsNoBits || section.Data.Length == 0 || section.Data.Length == (int)section.Size);
                foreach (var relocationSection in elf.RelocationSections)
                    foreach (var relocation in relocationSection.Relocations)
                        Assert.True(relocation.Offset < relocationSection.Target.Size || relocation.Type == BpfRelocationType.None);
            }
            catch (ObjectLoadException error)
            {
                rejected++;
                Assert.Equal(objectName, error.FileName);
                Assert.True(error.Offset is not null, $"seed {seed} iteration {iteration}: no offset in '{error.Message}'");
            }
            catch (Exception other)
            {
                Assert.Fail($"seed {seed} iteration {iteration}: {other.GetType().Name}: {other.Message}\n{other.StackTrace}");
            }
        }

        Assert.True(rejected > IterationsPerObject / 10, $"only {rejected} of {IterationsPerObject} mutations were rejected");
        Assert.True(accepted > 0, "no mutation was accepted: the mutations only test the header checks");
    }

    /// <summary>One or more damages to a copy of <paramref name="original"/>; positions come from the intact object.</summary>
    private static byte[] Mutate(byte[] original, Random random, int shoff, ElfFile parsed)
    {
        var bytes = (byte[])original.Clone();
        var rounds = random.Next(4) == 0 ? random.Next(2, 5) : 1;
        for (var round = 0; round < rounds; round++)
            bytes = MutateOnce(bytes, random, shoff, parsed);
        return bytes;
    }

    private static byte[] MutateOnce(byte[] bytes, Random random, int shoff, ElfFile parsed)
    {
        if (bytes.Length == 0)
            return bytes;
        switch (random.Next(5))
        {
            case 0: // truncate anywhere
                return bytes.AsSpan(0, random.Next(bytes.Length)).ToArray();
            case 1: // flip a few random bits anywhere
                for (var i = random.Next(1, 9); i > 0; i--)
                    bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                return bytes;
            case 2: // a random byte in the file header or the section header table
            {
                var at = random.Next(2) == 0 ? random.Next(64) : shoff + random.Next(parsed.Sections.Count * 64);
                if (at < bytes.Length)
                    bytes[at] = (byte)random.Next(256);
                return bytes;
            }
            case 3: // a boundary value in a section header field
            {
                int[] fieldOffsets = [0, 4, 8, 24, 32, 40, 44, 48, 56];
                var field = fieldOffsets[random.Next(fieldOffsets.Length)];
                var at = shoff + random.Next(parsed.Sections.Count) * 64 + field;
                ulong[] values = [0, 1, 0xff, 0xffff, 0xffffffff, 0x7fffffffffffffff, ulong.MaxValue, (ulong)bytes.Length,
                    (ulong)bytes.Length - 1, (ulong)random.Next(bytes.Length), (ulong)random.Next(parsed.Sections.Count + 2)];
                var value = values[random.Next(values.Length)];
                var width = field is 0 or 4 or 40 or 44 ? 4 : 8;
                if (at + width > bytes.Length)
                    return bytes;
                if (width == 4)
                    BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at), (uint)value);
                else
                    BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(at), value);
                return bytes;
            }
            default: // damage inside the symbol table or a relocation section
            {
                var candidates = parsed.Sections.Where(s => s.Type is ElfSectionType.SymbolTable or ElfSectionType.Relocations && s.Size > 0).ToList();
                if (candidates.Count == 0)
                    return bytes;
                var target = candidates[random.Next(candidates.Count)];
                var at = (int)target.Offset + random.Next((int)target.Size);
                if (at + 4 > bytes.Length)
                    return bytes;
                if (random.Next(2) == 0)
                    bytes[at] = (byte)random.Next(256);
                else
                    BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at), (uint)random.Next());
                return bytes;
            }
        }
    }

    private static int StableSeed(string text)
    {
        var hash = 17;
        foreach (var c in text)
            hash = unchecked(hash * 31 + c);
        return hash;
    }
}
