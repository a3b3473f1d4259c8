using CsCheck;
using SharpBpf.Btf;

namespace SharpBpf.Tests.Btf;

/// <summary>
/// Random byte flips and truncations of real .BTF/.BTF.ext blobs: parsing and every query afterwards must either
/// work or throw <see cref="ObjectLoadException"/> naming the BTF section, never anything else (CsCheck reports any
/// other exception with the smallest mutation that throws it), and some mutations must be rejected — else the
/// mutations never reach the checks. As <see cref="Elf.ElfFuzzTests"/> asserts of whole objects.
/// </summary>
public class BtfFuzzTests
{
    private const int BtfIterations = 1500;
    private const int ExtIterations = 3000;

    private sealed record Mutation(int[] Positions, byte[] Values, int Truncate);

    private enum Outcome { Accepted, Rejected }

    private static Gen<Mutation> Mutations(int length) =>
        Gen.Select(Gen.Int[0, length - 1].Array[1, 6], Gen.Byte.Array[6], Gen.Int[0, 9], Gen.Int[0, length],
            (positions, values, truncateChance, truncateAt) => new Mutation(positions, values, truncateChance == 0 ? truncateAt : length));

    private static byte[] Apply(byte[] original, Mutation mutation)
    {
        var copy = (byte[])original.Clone();
        for (int i = 0; i < mutation.Positions.Length; i++)
            copy[mutation.Positions[i]] ^= (byte)(mutation.Values[i] | 1);
        return copy[..mutation.Truncate];
    }

    [Theory]
    [InlineData("types")]
    [InlineData("timers")]
    public void MutatedBtfOnlyThrowsObjectLoadException(string name)
    {
        var btf = BtfTestData.Bytes(name + ".btf");
        var ext = BtfTestData.Bytes(name + ".btf.ext");
        var counts = new int[2];
        Mutations(btf.Length).Sample(mutation => counts[(int)Exercise(Apply(btf, mutation), ext)]++,
            iter: BtfIterations, threads: 1, seed: "0N0XIzNsQ0O2");
        AssertSomeOfBoth(counts, BtfIterations);
    }

    [Theory]
    [InlineData("types")]
    [InlineData("timers")]
    public void MutatedBtfExtOnlyThrowsObjectLoadException(string name)
    {
        var spec = BtfSpec.Parse(BtfTestData.Bytes(name + ".btf"));
        var ext = BtfTestData.Bytes(name + ".btf.ext");
        var counts = new int[2];
        Mutations(ext.Length).Sample(mutation => counts[(int)Rejecting(() => ExerciseExt(spec, Apply(ext, mutation)))]++,
            iter: ExtIterations, threads: 1, seed: "0N0XIzNsQ0O2");
        AssertSomeOfBoth(counts, ExtIterations);
    }

    private static void AssertSomeOfBoth(int[] counts, int iterations)
    {
        var (accepted, rejected) = (counts[(int)Outcome.Accepted], counts[(int)Outcome.Rejected]);
        Assert.True(rejected > 0, $"none of {accepted} mutations was rejected: they never reach the checks");
        Assert.True(accepted > 0, $"all {rejected} mutations were rejected: they only test the header checks");
        Assert.True(accepted + rejected >= iterations, $"only {accepted + rejected} of {iterations} mutations ran");
    }

    // A rejection must say where: the BTF section it is in.
    private static Outcome Rejecting(Action action)
    {
        try
        {
            action();
            return Outcome.Accepted;
        }
        catch (ObjectLoadException error)
        {
            Assert.True(error.SectionName is ".BTF" or ".BTF.ext", $"no BTF section named in '{error.Message}'");
            return Outcome.Rejected;
        }
    }

    private static Outcome Exercise(byte[] btfBlob, byte[] extBlob) => Rejecting(() =>
    {
        var spec = BtfSpec.Parse(btfBlob);
        foreach (var type in spec.Types)
        {
            _ = spec.TypeName(type.Id);
            _ = spec.AlignOf(type.Id);
            _ = spec.SkipQualifiersAndTypedefs(type.Id);
            if (spec.TrySizeOf(type.Id, out var size) && size <= 4096)
                _ = BtfValueFormatter.ToJson(spec, type.Id, new byte[size]);
            if (type is BtfComposite or BtfDataSection)
                _ = SpecialFieldLocator.Locate(spec, type.Id);
        }
        _ = BtfRawFormatter.Format(spec);
        ExerciseExt(spec, extBlob);
    });

    private static void ExerciseExt(BtfSpec spec, byte[] extBlob)
    {
        var ext = BtfExtSpec.Parse(extBlob, spec);
        foreach (var section in ext.CoreRelocations)
        {
            foreach (var relocation in section.Records)
            {
                // A relocation the types cannot satisfy is rejected on its own; the others must still resolve.
                Rejecting(() => BtfCoreResolver.Resolve(spec, relocation));
            }
        }
    }
}
