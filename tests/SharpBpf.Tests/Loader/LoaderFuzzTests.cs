using SharpBpf.Elf;
using SharpBpf.Loader;

namespace SharpBpf.Tests.Loader;

/// <summary>
/// Random damage to every committed object — bit flips aimed at the sections the loader interprets (code,
/// relocations, .maps, maps, BTF, BTF.ext, global data), plausible small integers written over 32-bit fields,
/// and truncations — must end in a loaded collection or an <see cref="ObjectLoadException"/> naming the file,
/// never another exception or a hang. Seeded per object, so a failure names the seed and iteration.
/// </summary>
public sealed class LoaderFuzzTests
{
    private const int IterationsPerObject = 1200;

    public static TheoryData<string> Objects()
    {
        var data = new TheoryData<string>();
        foreach (var path in LoaderTestFiles.AllObjects().Where(p => p.EndsWith(".o", StringComparison.Ordinal)))
            data.Add(Path.GetFileName(path));
        return data;
    }

    [Theory]
    [MemberData(nameof(Objects))]
    public void Mutated_objects_fail_only_with_ObjectLoadException(string objectName)
    {
        var original = File.ReadAllBytes(LoaderTestFiles.PathOf(objectName));
        int seed = StableSeed(objectName);
        var random = new Random(seed);
        var elf = ElfFile.Read(original, objectName);
        var targets = elf.Sections
            .Where(s => !s.IsNoBits && s.Size > 0 && !s.Name.StartsWith(".debug", StringComparison.Ordinal)
                && !s.Name.StartsWith(".rel.debug", StringComparison.Ordinal) && s.Name is not (".strtab" or ".llvm_addrsig"))
            .Select(s => ((int)s.Offset, (int)s.Size))
            .ToArray();
        int loaded = 0, rejected = 0;
        for (int iteration = 0; iteration < IterationsPerObject; iteration++)
        {
            var mutated = Mutate(original, random, targets);
            try
            {
                var spec = ObjectLoader.Load(mutated, objectName);
                loaded++;
                foreach (var program in spec.Programs)
                {
                    Assert.Equal(program.Instructions.Length, program.Functions.Sum(f => f.SlotCount));
                    Assert.All(program.MapReferences, r => Assert.InRange(r.MapIndex, 0, spec.Maps.Length - 1));
                }
            }
            catch (ObjectLoadException error)
            {
                rejected++;
                Assert.True(error.FileName == objectName, $"seed {seed} iteration {iteration}: no file name in '{error.Message}'");
            }
            catch (Exception other)
            {
                Assert.Fail($"seed {seed} iteration {iteration}: {other.GetType().Name}: {other.Message}\n{other.StackTrace}");
            }
        }
        Assert.True(rejected > 0, "no mutation was rejected");
        // Objects that are refused intact (multi.o, ...) cannot be expected to load damaged.
        Assert.True(loaded > 0 || !Loads(original, objectName), "no mutation was loaded: the mutations only test the first checks");
    }

    private static bool Loads(byte[] bytes, string objectName)
    {
        try
        {
            ObjectLoader.Load(bytes, objectName);
            return true;
        }
        catch (ObjectLoadException)
        {
            return false;
        }
    }

    private static byte[] Mutate(byte[] original, Random random, (int Offset, int Size)[] targets)
    {
        var bytes = (byte[])original.Clone();
        int rounds = random.Next(4) == 0 ? random.Next(2, 6) : 1;
        for (int round = 0; round < rounds && bytes.Length > 0; round++)
        {
            switch (random.Next(6))
            {
                case 0:
                    return bytes.AsSpan(0, random.Next(bytes.Length)).ToArray();
                case 1:
                    bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                    break;
                default:
                {
                    var (offset, size) = targets[random.Next(targets.Length)];
                    int at = offset + random.Next(size);
                    if (at >= bytes.Length)
                        break;
                    if (random.Next(2) == 0)
                        bytes[at] ^= (byte)(1 << random.Next(8));
                    else if (at + 4 <= bytes.Length)
                        BitConverter.TryWriteBytes(bytes.AsSpan(at & ~3, Math.Min(4, bytes.Length - (at & ~3))), random.Next(4) switch
                        {
                            0 => 0,
                            1 => random.Next(-2, 64),
                            2 => random.Next(),
                            _ => -1,
                        });
                    break;
                }
            }
        }
        return bytes;
    }

    private static int StableSeed(string text)
    {
        int hash = 17;
        foreach (char c in text)
            hash = unchecked(hash * 31 + c);
        return hash;
    }
}
