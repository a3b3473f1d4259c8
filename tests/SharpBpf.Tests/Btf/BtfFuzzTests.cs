using CsCheck;
using SharpBpf.Btf;

namespace SharpBpf.Tests.Btf;

/// <summary>
/// Random byte flips and truncations of real .BTF/.BTF.ext blobs: parsing and every query afterwards must either
/// work or throw <see cref="ObjectLoadException"/>, never anything else, and never hang.
/// </summary>
public class BtfFuzzTests
{
    private sealed record Mutation(int[] Positions, byte[] Values, int Truncate);

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
        Mutations(btf.Length).Sample(mutation => Exercise(Apply(btf, mutation), ext), iter: 1500, threads: 1, seed: "0N0XIzNsQ0O2");
    }

    [Theory]
    [InlineData("types")]
    [InlineData("timers")]
    public void MutatedBtfExtOnlyThrowsObjectLoadException(string name)
    {
        var spec = BtfSpec.Parse(BtfTestData.Bytes(name + ".btf"));
        var ext = BtfTestData.Bytes(name + ".btf.ext");
        Mutations(ext.Length).Sample(mutation =>
        {
            try
            {
                ExerciseExt(spec, Apply(ext, mutation));
            }
            catch (ObjectLoadException)
            {
            }
        }, iter: 3000, threads: 1, seed: "0N0XIzNsQ0O2");
    }

    private static void Exercise(byte[] btfBlob, byte[] extBlob)
    {
        try
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
        }
        catch (ObjectLoadException)
        {
        }
    }

    private static void ExerciseExt(BtfSpec spec, byte[] extBlob)
    {
        var ext = BtfExtSpec.Parse(extBlob, spec);
        foreach (var section in ext.CoreRelocations)
        {
            foreach (var relocation in section.Records)
            {
                try
                {
                    _ = BtfCoreResolver.Resolve(spec, relocation);
                }
                catch (ObjectLoadException)
                {
                }
            }
        }
    }
}
