using System.Buffers.Binary;
using SharpBpf.Btf;

namespace SharpBpf.Tests.Btf;

public class BtfExtTests
{
    private static (BtfSpec Btf, BtfExtSpec Ext) Load(string name)
    {
        var btf = BtfSpec.Parse(BtfTestData.Bytes(name + ".btf"));
        return (btf, BtfExtSpec.Parse(BtfTestData.Bytes(name + ".btf.ext"), btf));
    }

    [Fact]
    public void Explore()
    {
        var (btf, ext) = Load("types");
        var code = ElfSections.Get(BtfTestData.Bytes("types.o"), "xdp");
        foreach (var s in ext.FunctionInfo) foreach (var r in s.Records) Console.WriteLine($"F {s.SectionName} {r}");
        foreach (var s in ext.LineInfo) foreach (var r in s.Records.Take(3)) Console.WriteLine($"L {s.SectionName} {r}");
        foreach (var s in ext.CoreRelocations) foreach (var r in s.Records)
        {
            var res = BtfCoreResolver.Resolve(btf, r);
            var insn = code.AsSpan(r.InstructionIndex * 8, 8);
            Console.WriteLine($"C {s.SectionName} {r.Kind} {btf.TypeName(r.TypeId)} {r.AccessString} => {res.Value} size={res.FieldSize} insn code=0x{insn[0]:x2} off={BinaryPrimitives.ReadInt16LittleEndian(insn[2..])} imm={BinaryPrimitives.ReadInt32LittleEndian(insn[4..])}");
        }
    }
}
