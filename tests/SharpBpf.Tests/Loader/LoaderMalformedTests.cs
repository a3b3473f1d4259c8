using System.Buffers.Binary;
using SharpBpf.Btf;
using SharpBpf.Elf;
using SharpBpf.Loader;
using SharpBpf.Tests.Elf;

namespace SharpBpf.Tests.Loader;

/// <summary>
/// The malformed-object corpus: each damaged object (made by patching a committed one, or a test object built
/// for the purpose) gives an <see cref="ObjectLoadException"/> that names the file, the section and the offset.
/// </summary>
public sealed class LoaderMalformedTests
{
    private static byte[] Bytes(string objectName) => File.ReadAllBytes(LoaderTestFiles.PathOf(objectName));

    private static ObjectLoadException Reject(byte[] bytes, string fileName)
    {
        var error = Assert.Throws<ObjectLoadException>(() => ObjectLoader.Load(bytes, fileName));
        Assert.Equal(fileName, error.FileName);
        Assert.NotNull(error.Offset);
        return error;
    }

    /// <summary>The file offset of byte <paramref name="offset"/> of section <paramref name="name"/>.</summary>
    private static int At(byte[] bytes, string name, long offset) =>
        (int)ElfFile.Read(bytes).FindSection(name)!.Offset + (int)offset;

    /// <summary>The file offset of relocation entry <paramref name="index"/> (16-byte SHT_REL entries) of <paramref name="relocationSection"/>.</summary>
    private static int RelocationEntry(byte[] bytes, string relocationSection, int index) => At(bytes, relocationSection, index * 16L);

    [Fact]
    public void Truncated_file()
    {
        var bytes = Bytes("proto_counters.o");
        var error = Reject(bytes[..(bytes.Length / 2)], "proto_counters.o");
        Assert.Contains("section header", error.Reason, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Corrupted_section_header()
    {
        var bytes = Bytes("proto_counters.o");
        var elf = ElfFile.Read(bytes);
        var section = elf.FindSection("xdp")!;
        int header = (int)elf.Header.SectionHeaderOffset + section.Index * 64;
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(header + 32), 0x10_0000_0000); // sh_size far beyond the file
        var error = Reject(bytes, "proto_counters.o");
        Assert.Equal("xdp", error.SectionName);
        Assert.Equal(header, error.Offset);
    }

    [Fact]
    public void Wrong_machine()
    {
        var path = Path.Combine(ElfTestFiles.DataDirectory, "not_bpf.x86_64.obj");
        var error = Assert.Throws<ObjectLoadException>(() => ObjectLoader.LoadFile(path));
        Assert.Equal("not_bpf.x86_64.obj", error.FileName);
        Assert.Equal(18, error.Offset); // e_machine
    }

    [Fact]
    public void Relocation_offset_not_on_an_instruction()
    {
        var bytes = Bytes("proto_counters.o");
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(RelocationEntry(bytes, ".relxdp", 0)), 0x4c);
        var error = Reject(bytes, "proto_counters.o");
        Assert.Equal(("xdp", 0x4cL, "proto_counts"), (error.SectionName, error.Offset!.Value, error.SymbolName));
        Assert.Contains("bad relocation offset", error.Reason);
    }

    [Fact]
    public void Relocation_on_an_instruction_that_is_neither_lddw_nor_call()
    {
        var bytes = Bytes("proto_counters.o");
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(RelocationEntry(bytes, ".relxdp", 0)), 0x10);
        var error = Reject(bytes, "proto_counters.o");
        Assert.Equal(("xdp", 0x10L), (error.SectionName, error.Offset!.Value));
        Assert.Contains("neither lddw nor call", error.Reason);
    }

    [Fact]
    public void Relocation_against_an_unknown_symbol()
    {
        var bytes = Bytes("proto_counters.o");
        int entry = RelocationEntry(bytes, ".relxdp", 1);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(entry + 8), (0UL << 32) | 1); // symbol 0, R_BPF_64_64
        var error = Reject(bytes, "proto_counters.o");
        Assert.Equal(("xdp", 0xd0L), (error.SectionName, error.Offset!.Value));
        Assert.Contains("unknown symbol", error.Reason);
    }

    [Fact]
    public void Relocation_against_a_symbol_that_is_neither_map_nor_data()
    {
        var bytes = Bytes("proto_counters.o");
        var elf = ElfFile.Read(bytes);
        var license = elf.Symbols.Single(s => s.Name == "LICENSE");
        int entry = RelocationEntry(bytes, ".relxdp", 2);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(entry + 8), ((ulong)license.Index << 32) | 1);
        var error = Reject(bytes, "proto_counters.o");
        Assert.Equal(("xdp", 0x150L, "LICENSE"), (error.SectionName, error.Offset!.Value, error.SymbolName));
        Assert.Contains("neither a map nor global data", error.Reason);
    }

    [Fact]
    public void Relocation_against_a_common_symbol()
    {
        // multi.o (built with -fcommon) reads 'common_value', a SHN_COMMON symbol, as libbpf refuses to.
        var error = Assert.Throws<ObjectLoadException>(() => ObjectLoader.LoadFile(LoaderTestFiles.PathOf("multi.o")));
        Assert.Equal(("multi.o", "xdp", "common_value"), (error.FileName, error.SectionName, error.SymbolName));
        Assert.NotNull(error.Offset);
        Assert.Contains("special section 0xfff2", error.Reason);
    }

    [Fact]
    public void Global_data_reference_beyond_the_section()
    {
        var bytes = Bytes("global_data.o");
        var spec = ObjectLoader.Load(bytes, "global_data.o");
        var program = spec.Programs.Single();
        var reference = program.MapReferences.First();
        int at = At(bytes, "xdp", (program.SectionOffset / 8 + reference.Slot) * 8L);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(at + 4), 4096); // the lddw's immediate: offset within the section
        var error = Reject(bytes, "global_data.o");
        Assert.Equal(("xdp", reference.Slot * 8L), (error.SectionName, error.Offset!.Value));
        Assert.Contains("outside", error.Reason);
    }

    [Fact]
    public void Btf_type_loop()
    {
        var bytes = Bytes("proto_counters.o");
        var btfSection = ElfFile.Read(bytes).FindSection(".BTF")!;
        var btf = BtfSpec.Parse(btfSection.Data.Span);
        long record = btf.OffsetOf(1); // [1] PTR -> [3]
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan((int)btfSection.Offset + (int)record + 8), 1); // PTR to itself
        var error = Reject(bytes, "proto_counters.o");
        Assert.Equal(".BTF", error.SectionName);
        Assert.Contains("loop", error.Reason);
    }

    [Fact]
    public void Btf_type_id_out_of_range()
    {
        var bytes = Bytes("proto_counters.o");
        var btfSection = ElfFile.Read(bytes).FindSection(".BTF")!;
        var btf = BtfSpec.Parse(btfSection.Data.Span);
        long record = btf.OffsetOf(1);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan((int)btfSection.Offset + (int)record + 8), 5000);
        var error = Reject(bytes, "proto_counters.o");
        Assert.Equal((".BTF", record + 8), (error.SectionName, error.Offset!.Value));
    }

    [Fact]
    public void Unknown_map_type_in_a_btf_map()
    {
        var bytes = Bytes("proto_counters.o");
        var btfSection = ElfFile.Read(bytes).FindSection(".BTF")!;
        var btf = BtfSpec.Parse(btfSection.Data.Span);
        // __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY) is a pointer to [3] ARRAY of 6 elements: make it 200.
        var variable = (BtfVariable)btf.Types.Single(t => t is BtfVariable { Name: "proto_counts" });
        var definition = (BtfStruct)btf[variable.TypeId];
        var array = (BtfArray)btf[((BtfPointer)btf[definition.Members.Single(m => m.Name == "type").TypeId]).TargetId];
        Assert.Equal(6u, array.Count);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan((int)btfSection.Offset + (int)btf.OffsetOf(array.Id) + 20), 200);
        var error = Reject(bytes, "proto_counters.o");
        Assert.Equal((".maps", 0L, "proto_counts"), (error.SectionName, error.Offset!.Value, error.SymbolName));
        Assert.Equal("unknown map type 200", error.Reason);
    }

    [Fact]
    public void Unknown_map_type_in_a_legacy_map()
    {
        var bytes = Bytes("legacy_maps.o");
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(At(bytes, "maps", 20)), 77); // 'table' is the second definition
        var error = Reject(bytes, "legacy_maps.o");
        Assert.Equal(("maps", 20L, "table"), (error.SectionName, error.Offset!.Value, error.SymbolName));
        Assert.Equal("unknown map type 77", error.Reason);
    }

    [Fact]
    public void Timer_in_a_map_value_declared_without_btf_is_the_verifiers_to_refuse()
    {
        // The blueprint loads (show and disasm can display it); loading it to run is refused as the kernel's verifier
        // refuses it (spec R4), at 'call bpf_timer_init', instruction 13 of 'arm' (llvm-objdump: 13: call 0xa9).
        var spec = ObjectLoader.LoadFile(LoaderTestFiles.PathOf("legacy_timer.o"));
        Assert.False(spec.FindMap("timers")!.HasBtf);
        var error = Assert.Throws<SharpBpf.Verifier.VerificationException>(() => SharpBpf.Runtime.BpfObject.Load(LoaderTestFiles.PathOf("legacy_timer.o")));
        Assert.Equal(("arm", 13, "map 'timers' has to have BTF in order to use bpf_timer"), (error.Program, error.InstructionIndex, error.Summary));
    }

    [Fact]
    public void Btf_maps_without_btf()
    {
        var error = Assert.Throws<ObjectLoadException>(() => ObjectLoader.LoadFile(LoaderTestFiles.PathOf("subprograms_v4_nodebug.o")));
        Assert.Equal((".maps", 0L), (error.SectionName, error.Offset!.Value));
        Assert.Contains("need BTF", error.Reason);
    }

    [Fact]
    public void Core_relocation_that_disagrees_with_the_instruction()
    {
        var bytes = Bytes("shapes.o");
        var original = ObjectLoader.Load(bytes, "shapes.o");
        var relocation = original.BtfExt!.CoreRelocationsFor("classifier").First(r => r.Kind == BtfCoreRelocationKind.TypeSize);
        int at = At(bytes, "classifier", relocation.InstructionOffset);
        int immediate = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at + 4));
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(at + 4), immediate + 1);
        var error = Reject(bytes, "shapes.o");
        Assert.Equal(("classifier", (long)relocation.InstructionOffset), (error.SectionName, error.Offset!.Value));
        Assert.Contains("TypeSize", error.Reason);
    }

    [Fact]
    public void Version_section_of_the_wrong_size()
    {
        var elf = new SyntheticElf();
        elf.Add(new SyntheticElf.Section("version", 1, [1, 2, 3]));
        var error = Reject(elf.Build(), "version.o");
        Assert.Equal(("version", 0L), (error.SectionName, error.Offset!.Value));
    }

    [Fact]
    public void Code_section_that_is_not_whole_instructions()
    {
        var elf = new SyntheticElf();
        elf.Add(new SyntheticElf.Section("xdp", 1, new byte[12], Flags: 0x6));
        var error = Reject(elf.Build(), "odd.o");
        Assert.Equal(("xdp", 12L), (error.SectionName, error.Offset!.Value));
    }
}
