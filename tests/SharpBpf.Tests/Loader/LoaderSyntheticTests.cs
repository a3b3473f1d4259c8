using System.Buffers.Binary;
using System.Text;
using SharpBpf.Isa;
using SharpBpf.Loader;
using SharpBpf.Tests.Elf;

namespace SharpBpf.Tests.Loader;

/// <summary>Objects clang does not write, built with the ELF test writer: extreme shapes the loader must survive.</summary>
public sealed class LoaderSyntheticTests
{
    /// <summary>
    /// An 'xdp' program calling the first of <paramref name="chain"/> static .text functions, each calling the next
    /// through a relocation-free call (the immediate is relative within .text), the last returning 0.
    /// </summary>
    private static byte[] CallChain(int chain, string programSection = "xdp", byte[]? version = null)
    {
        var strings = new MemoryStream();
        strings.WriteByte(0);
        uint Name(string name)
        {
            uint at = (uint)strings.Length;
            strings.Write(Encoding.ASCII.GetBytes(name + "\0"));
            return at;
        }

        var text = new List<Instruction>();
        for (int i = 0; i < chain; i++)
        {
            if (i + 1 < chain)
                text.Add(new Instruction(Opcodes.Call, 0, 1, 0, 1)); // next function starts two slots later
            else
                text.Add(new Instruction(0xb7, 0, 0, 0, 0));         // r0 = 0
            text.Add(new Instruction(Opcodes.Exit, 0, 0, 0, 0));
        }
        Instruction[] program = [new Instruction(Opcodes.Call, 0, 1, 0, -1), new Instruction(Opcodes.Exit, 0, 0, 0, 0)];

        const ushort TextIndex = 1, XdpIndex = 2;
        var symbols = new MemoryStream();
        symbols.Write(SyntheticElf.Symbol(0, 0, 0, 0, 0));
        symbols.Write(SyntheticElf.Symbol(0, 0x03, TextIndex, 0, 0));                // .text section symbol (local)
        for (int i = 0; i < chain; i++)
            symbols.Write(SyntheticElf.Symbol(Name($"f{i}"), 0x02, TextIndex, (ulong)i * 16, 16)); // local FUNC
        int firstGlobal = chain + 2;
        symbols.Write(SyntheticElf.Symbol(Name("entry"), 0x12, XdpIndex, 0, 16));     // global FUNC
        var relocation = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(relocation, 0);
        BinaryPrimitives.WriteUInt64LittleEndian(relocation.AsSpan(8), (1UL << 32) | 10); // .text symbol, R_BPF_64_32

        var elf = new SyntheticElf();
        elf.Add(new SyntheticElf.Section(".text", 1, Instruction.Encode([.. text]), Flags: 0x6, Alignment: 8));
        elf.Add(new SyntheticElf.Section(programSection, 1, Instruction.Encode(program), Flags: 0x6, Alignment: 8));
        int strtab = elf.Add(new SyntheticElf.Section(".strtab", 3, strings.ToArray()));
        int symtab = elf.Add(new SyntheticElf.Section(".symtab", 2, symbols.ToArray(), Link: (uint)strtab, Info: (uint)firstGlobal, EntrySize: 24, Alignment: 8));
        elf.Add(new SyntheticElf.Section(".relxdp", 9, relocation, Link: (uint)symtab, Info: XdpIndex, EntrySize: 16, Alignment: 8));
        elf.Add(new SyntheticElf.Section("license", 1, "GPL\0"u8.ToArray(), Flags: 0x3));
        if (version is not null)
            elf.Add(new SyntheticElf.Section("version", 1, version, Flags: 0x3));
        return elf.Build();
    }

    [Fact]
    public void A_short_call_chain_is_linked_in_call_order()
    {
        var spec = ObjectLoader.Load(CallChain(3), "chain.o");
        var program = Assert.Single(spec.Programs);
        Assert.Equal(("entry", ProgramType.Xdp, "GPL"), (program.Name, program.Type, spec.License));
        Assert.Equal(["entry", "f0", "f1", "f2"], program.Functions.Select(f => f.Name));
        Assert.Equal([0, 2, 4, 6], program.Functions.Select(f => f.StartSlot));
        Assert.Equal(1, program.Instructions[0].Immediate);  // entry's call: slot 0 -> f0 at slot 2
        Assert.Equal(1, program.Instructions[2].Immediate);  // f0 -> f1
    }

    [Fact]
    public void A_very_long_call_chain_does_not_exhaust_the_stack()
    {
        const int Chain = 50_000;
        var spec = ObjectLoader.Load(CallChain(Chain), "chain.o");
        var program = Assert.Single(spec.Programs);
        Assert.Equal(Chain + 1, program.Functions.Length);
        Assert.Equal(2 + 2 * Chain, program.Instructions.Length);
        Assert.Equal($"f{Chain - 1}", program.Functions[^1].Name);
    }

    [Fact]
    public void Unknown_section_names_give_programs_of_unspecified_type()
    {
        var spec = ObjectLoader.Load(CallChain(1, "my_custom_section"), "custom.o");
        var program = Assert.Single(spec.Programs);
        Assert.Equal((ProgramType.Unspecified, "unspec", (AttachType?)null), (program.Type, program.TypeName, program.ExpectedAttachType));
        Assert.Null(program.Convention);
        Assert.Contains(spec.Notes, n => n.Contains("my_custom_section", StringComparison.Ordinal));
    }

    [Fact]
    public void Version_section_gives_the_kernel_version()
    {
        var spec = ObjectLoader.Load(CallChain(1, version: [0x00, 0x12, 0x06, 0x00]), "versioned.o");
        Assert.Equal(0x061200u, spec.KernelVersion);
    }

    [Fact]
    public void A_call_into_the_middle_of_a_function_is_refused()
    {
        var bytes = CallChain(3);
        // entry's call relocation: .text symbol + imm -1 + 1 = slot 0; make the immediate 0 -> slot 1 (inside f0).
        var elf = SharpBpf.Elf.ElfFile.Read(bytes);
        int at = (int)elf.FindSection("xdp")!.Offset;
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(at + 4), 0);
        var error = Assert.Throws<ObjectLoadException>(() => ObjectLoader.Load(bytes, "chain.o"));
        Assert.Equal(("chain.o", "xdp", 0L, ".text"), (error.FileName, error.SectionName, error.Offset!.Value, error.SymbolName));
        Assert.Contains("not the start of a function", error.Reason);
    }
}
