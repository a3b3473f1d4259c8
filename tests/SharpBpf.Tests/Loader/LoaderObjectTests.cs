using System.Buffers.Binary;
using SharpBpf.Btf;
using SharpBpf.Elf;
using SharpBpf.Isa;
using SharpBpf.Loader;
using SharpBpf.Maps;

namespace SharpBpf.Tests.Loader;

/// <summary>What the loader makes of specific committed objects, beyond what the libbpf goldens show.</summary>
public sealed class LoaderObjectTests
{
    private static CollectionSpec Load(string objectName) => ObjectLoader.LoadFile(LoaderTestFiles.PathOf(objectName));

    [Fact]
    public void Subprograms_are_appended_depth_first_at_their_first_call()
    {
        var spec = Load("subprograms.o");
        Assert.Equal(["program_a", "program_b"], spec.Programs.Select(p => p.Name));
        var program = spec.Programs[0];
        // program_a calls mix (which calls the global fold_checksum) before store_result.
        Assert.Equal(["program_a", "mix", "fold_checksum", "store_result"], program.Functions.Select(f => f.Name));
        Assert.Equal([true, false, true, false], program.Functions.Select(f => f.IsGlobal));
        var elf = ElfFile.ReadFile(LoaderTestFiles.PathOf("subprograms.o"));
        int slot = 0;
        foreach (var function in program.Functions)
        {
            var symbol = elf.Symbols.Single(s => s.Name == function.Name);
            Assert.Equal(slot, function.StartSlot);
            Assert.Equal((int)symbol.Size / Instruction.Size, function.SlotCount);
            Assert.Equal((int)symbol.Value, function.SectionOffset);
            Assert.Equal(function.Name == "program_a" ? "xdp" : ".text", function.SectionName);
            slot += function.SlotCount;
        }
        Assert.Equal(slot, program.Instructions.Length);
        Assert.Equal(program.Functions[0].SlotCount, program.MainSlotCount);

        // Every bpf-to-bpf call lands on the start of an appended function.
        var starts = program.Functions.Select(f => f.StartSlot).ToHashSet();
        var calls = Enumerable.Range(0, program.Instructions.Length)
            .Where(i => program.Instructions[i].Opcode == Opcodes.Call && program.Instructions[i].Src == 1).ToList();
        Assert.Equal(3, calls.Count);
        foreach (var call in calls)
            Assert.Contains(call + program.Instructions[call].Immediate + 1, starts);
    }

    [Fact]
    public void Func_and_line_info_follow_the_functions_into_the_linked_program()
    {
        var spec = Load("subprograms.o");
        var program = spec.FindProgram("program_b")!;
        var btf = spec.Btf!;
        Assert.Equal(program.Functions.Select(f => f.StartSlot * Instruction.Size), program.FuncInfo.Select(f => (int)f.InstructionOffset));
        Assert.Equal(program.Functions.Select(f => f.Name), program.FuncInfo.Select(f => btf[f.TypeId].Name));
        Assert.True(program.LineInfo.Length > program.Functions.Length);
        Assert.True(program.LineInfo.Zip(program.LineInfo.Skip(1)).All(p => p.First.InstructionOffset <= p.Second.InstructionOffset));
        foreach (var function in program.Functions)
        {
            var first = program.LineAt(function.StartSlot);
            Assert.NotNull(first);
            Assert.Equal(function.StartSlot, first.InstructionIndex);
            Assert.EndsWith("subprograms.c", first.FileName);
        }
        Assert.Contains("mix(0xabcd, length * 3)", program.LineInfo.Select(l => l.LineText).First(t => t.Contains("mix(", StringComparison.Ordinal)));
    }

    [Fact]
    public void Map_references_mark_the_lddw_with_the_map_index()
    {
        var spec = Load("tail_calls.o");
        var dispatch = spec.FindProgram("dispatch")!;
        Assert.Equal(["jump_table", "handled"], spec.Maps.Select(m => m.Name));
        Assert.All(dispatch.MapReferences, reference =>
        {
            var instruction = dispatch.Instructions[reference.Slot];
            Assert.True(instruction.IsLoadImm64);
            Assert.Equal((byte)LoadImm64Source.MapFd, instruction.Src);
            Assert.Equal(reference.MapIndex, instruction.Immediate);
            Assert.Equal(spec.Maps[reference.MapIndex].Name, reference.MapName);
            Assert.Equal(MapReferenceKind.Map, reference.Kind);
        });
        // The object's relocations: .relxdp has lddw's at byte offsets 0x20, 0x80 (handled), 0x158 (jump_table), 0x190 (handled).
        Assert.Equal([(0x158 - 0xc0) / 8, (0x190 - 0xc0) / 8], dispatch.MapReferences.Select(r => r.Slot));
        Assert.Equal(["jump_table", "handled"], dispatch.MapReferences.Select(r => r.MapName));
    }

    [Fact]
    public void Prog_array_values_name_the_programs_by_slot()
    {
        var spec = Load("tail_calls.o");
        var jumps = spec.FindMap("jump_table")!;
        Assert.Equal(MapType.ProgArray, jumps.Type);
        Assert.Equal([new MapInitialValue(0, "handle_ipv4"), new MapInitialValue(1, "handle_ipv6")], jumps.InitialValues.AsEnumerable());
        Assert.Equal((4u, 4u, 4u), (jumps.KeySize, jumps.ValueSize, jumps.MaxEntries));
        Assert.Equal("__u32", jumps.KeyTypeName);
        Assert.False(jumps.HasBtf);
    }

    [Fact]
    public void Map_in_map_has_an_inner_template_and_initial_slots()
    {
        var spec = Load("shapes.o");
        var outer = spec.FindMap("outer")!;
        Assert.Equal(MapType.ArrayOfMaps, outer.Type);
        Assert.Equal(4u, outer.ValueSize);
        Assert.Equal([new MapInitialValue(1, "inner_b"), new MapInitialValue(3, "inner_a")], outer.InitialValues.AsEnumerable());
        var inner = outer.InnerMap!;
        Assert.Equal("outer.inner", inner.Name);
        Assert.Equal(MapSource.InnerTemplate, inner.Source);
        Assert.Equal((MapType.Array, 4u, 8u, 2u), (inner.Type, inner.KeySize, inner.ValueSize, inner.MaxEntries));
        Assert.DoesNotContain(spec.Maps, m => m.Name == "outer.inner");

        var jumps = spec.FindMap("jumps")!;
        Assert.Equal([new MapInitialValue(0, "tail_frags"), new MapInitialValue(2, "tail_second")], jumps.InitialValues.AsEnumerable());
        var sparse = spec.FindMap("sparse")!;
        Assert.Equal(MapCreateFlags.NoPrealloc, sparse.Flags);
        Assert.Equal(0u, sparse.NumaNode);
        Assert.Equal(("__u64", "__u32"), (sparse.KeyTypeName, sparse.ValueTypeName));
        Assert.Null(spec.FindMap("inner_a")!.NumaNode);
    }

    [Fact]
    public void Section_conventions_give_types_attach_types_flags_and_optional_programs()
    {
        var spec = Load("shapes.o");
        var byName = spec.Programs.ToDictionary(p => p.Name);
        Assert.Equal((ProgramType.Xdp, AttachType.Xdp, ProgramFlags.XdpHasFrags), (byName["tail_frags"].Type, byName["tail_frags"].ExpectedAttachType, byName["tail_frags"].Flags));
        Assert.True(byName["tail_optional"].IsOptional);
        Assert.Equal(("xdp", "?xdp"), (byName["tail_optional"].SectionName, byName["tail_optional"].ElfSectionName));
        // .BTF.ext names the section as the ELF does ('?xdp'): its func and line info still reach the program.
        Assert.Equal("tail_optional", spec.Btf!.Types[(int)byName["tail_optional"].FuncInfo[0].TypeId].Name);
        Assert.NotEmpty(byName["tail_optional"].LineInfo);
        Assert.Equal(("sched_cls", (AttachType?)null), (byName["classify"].TypeName, byName["classify"].ExpectedAttachType));
        Assert.Equal("socket_filter", byName["filter"].TypeName);
        Assert.Equal((ProgramType.CgroupSkb, AttachType.CgroupInetIngress), (byName["allow"].Type, byName["allow"].ExpectedAttachType));
        Assert.Equal((ProgramType.RawTracepoint, "sys_enter"), (byName["on_enter"].Type, byName["on_enter"].Convention!.AttachTarget));
        Assert.Equal((ProgramType.Tracepoint, "syscalls/sys_enter_getpid"), (byName["on_getpid"].Type, byName["on_getpid"].Convention!.AttachTarget));
    }

    [Fact]
    public void Callbacks_are_function_pointers_to_appended_subprograms()
    {
        var spec = Load("shapes.o");
        var program = spec.FindProgram("tail_frags")!;
        var pointer = Assert.Single(program.FunctionPointers);
        Assert.Equal("step", pointer.TargetName);
        var lddw = program.Instructions[pointer.Slot];
        Assert.Equal((byte)LoadImm64Source.Function, lddw.Src);
        Assert.Equal(pointer.TargetSlot, pointer.Slot + lddw.Immediate + 1);
        Assert.Contains(program.Functions, f => f.Name == "step" && f.StartSlot == pointer.TargetSlot);
        // The global function in .text is appended like a static one, to each program that calls it.
        Assert.Contains(spec.FindProgram("classify")!.Functions, f => f.Name == "shared_global" && f.IsGlobal);
        // A hidden global function is treated as static, in the function list and in the (fixed) BTF.
        Assert.Contains(spec.FindProgram("filter")!.Functions, f => f.Name == "hidden_global" && !f.IsGlobal);
        Assert.True(spec.Btf!.TryGetByName("hidden_global", BtfKind.Function, out var hidden));
        Assert.Equal(BtfFunctionLinkage.Static, ((BtfFunction)hidden).Linkage);
        Assert.True(spec.Btf.TryGetByName("shared_global", BtfKind.Function, out var shared));
        Assert.Equal(BtfFunctionLinkage.Global, ((BtfFunction)shared).Linkage);
    }

    [Fact]
    public void Global_data_maps_are_named_and_filled_like_libbpf_does()
    {
        var spec = Load("global_data.o");
        var elf = ElfFile.ReadFile(LoaderTestFiles.PathOf("global_data.o"));
        Assert.Equal(["global_d.rodata", "global_d.data", "global_d.bss"], spec.Maps.Select(m => m.Name));
        foreach (var map in spec.Maps)
        {
            var section = elf.FindSection(map.SectionName)!;
            Assert.True(map.IsGlobalData);
            Assert.Equal((MapType.Array, 4u, (uint)section.Size, 1u), (map.Type, map.KeySize, map.ValueSize, map.MaxEntries));
            Assert.Equal(section.IsNoBits ? new byte[section.Size] : section.Data.ToArray(), map.InitialData.ToArray());
            Assert.Equal(map.SectionName == ".rodata", map.IsReadOnly);
            Assert.True(map.Flags.HasFlag(MapCreateFlags.Mmapable));
            Assert.Equal(spec.Btf!.TryGetByName(map.SectionName, BtfKind.DataSection, out var datasec) ? datasec.Id : 0, map.ValueTypeId);
        }

        // A data reference: lddw src=2, imm = map index, second imm = symbol value + the instruction's immediate.
        var program = spec.Programs.Single();
        Assert.All(program.MapReferences, r =>
        {
            Assert.Equal(MapReferenceKind.Value, r.Kind);
            Assert.Equal((byte)LoadImm64Source.MapValue, program.Instructions[r.Slot].Src);
            Assert.Equal(r.MapIndex, program.Instructions[r.Slot].Immediate);
            Assert.Equal((int)r.Offset, program.Instructions[r.Slot + 1].Immediate);
            Assert.True(r.Offset < spec.Maps[r.MapIndex].ValueSize);
        });
    }

    [Fact]
    public void Global_variables_get_their_offsets_from_the_symbols()
    {
        var spec = Load("global_data.o");
        // llvm-readelf -s: .rodata config@0 (8), max_length@8 (4); .data packets_seen@0 (8), last_length@8 (4);
        // .bss total_bytes@0, short_packets@8, long_packets@16 (8 each).
        Assert.Equal([("config", 0u, 8u), ("max_length", 8u, 4u)], spec.FindMap("global_d.rodata")!.Variables.Select(v => (v.Name, v.Offset, v.Size)));
        Assert.Equal([("packets_seen", 0u, 8u), ("last_length", 8u, 4u)], spec.FindMap("global_d.data")!.Variables.Select(v => (v.Name, v.Offset, v.Size)));
        Assert.Equal([("total_bytes", 0u, 8u), ("short_packets", 8u, 8u), ("long_packets", 16u, 8u)],
            spec.FindMap("global_d.bss")!.Variables.Select(v => (v.Name, v.Offset, v.Size)));
        var data = spec.FindMap("global_d.data")!;
        Assert.Equal(1000UL, BinaryPrimitives.ReadUInt64LittleEndian(data.InitialData.AsSpan()));
        Assert.Equal(0xffffffffu, BinaryPrimitives.ReadUInt32LittleEndian(data.InitialData.AsSpan()[8..]));
        Assert.Equal("__u64", data.Variables[0].TypeName);

        var shapes = Load("shapes.o");
        var bss = shapes.FindMap("shapes.bss")!;
        Assert.Equal([("hidden_seen", true), ("hits", false), ("private_total", true)], bss.Variables.OrderBy(v => v.Name, StringComparer.Ordinal).Select(v => (v.Name, v.IsStatic)));
    }

    [Fact]
    public void Btf_datasecs_are_fixed_up_like_libbpf_does()
    {
        var spec = Load("global_lock.o");
        var btf = spec.Btf!;
        Assert.True(btf.TryGetByName(".bss", BtfKind.DataSection, out var found));
        var bss = (BtfDataSection)found;
        Assert.Equal(24u, bss.Size);
        // llvm-readelf -s: lock@0 (4), counter@8 (8), before@16 (8); sorted by offset as the kernel requires.
        Assert.Equal([("lock", 0u), ("counter", 8u), ("before", 16u)], bss.Variables.Select(v => (btf[v.TypeId].Name, v.Offset)));

        // The kernel accepted bpf_spin_lock on this global (Data/loader/global_lock.libbpf.txt): it found the lock at 0.
        var map = spec.FindMap("global_l.bss")!;
        Assert.Equal(new SharpBpf.Btf.SpecialField(SharpBpf.Btf.SpecialFieldKind.SpinLock, 0, 4), Assert.Single(map.SpecialFields.Fields));
    }

    [Fact]
    public void Timer_problem_says_why_the_verifier_would_find_no_timer()
    {
        Assert.Null(Load("conntrack_timers.o").FindMap("flows")!.TimerProblem);
        Assert.Contains("has no bpf_timer", Load("conntrack_timers.o").FindMap("stats")!.TimerProblem);
        Assert.Contains("byte boundary", Load("types.o").FindMap("flows")!.TimerProblem);
        Assert.Equal("the value has no BTF", Load("legacy_maps.o").FindMap("counts")!.TimerProblem);
    }

    [Fact]
    public void Custom_data_sections_keep_their_own_name_and_bytes()
    {
        var spec = Load("shapes.o");
        var config = spec.FindMap(".data.config")!;
        Assert.Equal(1500u, BinaryPrimitives.ReadUInt32LittleEndian(config.InitialData.AsSpan()));
        Assert.False(config.IsReadOnly);
        var rodata = spec.FindMap("shapes.rodata")!;
        Assert.True(rodata.IsReadOnly);
        Assert.Contains("getpid scale=%u", System.Text.Encoding.ASCII.GetString(rodata.InitialData.AsSpan()));
    }

    [Fact]
    public void Timer_values_carry_their_special_fields()
    {
        var spec = Load("conntrack_timers.o");
        var flows = spec.FindMap("flows")!;
        Assert.Equal(MapType.LruHash, flows.Type);
        Assert.Equal("struct flow", flows.ValueTypeName);
        Assert.True(flows.SpecialFields.IsValid);
        Assert.Equal(0, flows.SpecialFields.TimerOffset);
        Assert.Equal(new SharpBpf.Btf.SpecialField(SharpBpf.Btf.SpecialFieldKind.Timer, 0, 16), Assert.Single(flows.SpecialFields.Fields));
        Assert.Empty(spec.FindMap("stats")!.SpecialFields.Fields);

        // types.o: a timer next to a bitfield that does not start on a byte boundary — the kernel records none.
        var types = Load("types.o");
        var broken = types.FindMap("flows")!;
        Assert.False(broken.SpecialFields.IsValid);
        Assert.Empty(broken.SpecialFields.Fields);
        Assert.Contains("byte boundary", broken.SpecialFields.Problem);
    }

    [Fact]
    public void Legacy_maps_section_definitions_are_read_in_symbol_order()
    {
        var spec = Load("legacy_maps.o");
        Assert.Equal("legacy_maps", spec.ObjectName);
        Assert.Null(spec.License);
        Assert.Contains(spec.Notes, n => n.Contains("license", StringComparison.Ordinal));
        Assert.Equal(["counts", "table"], spec.Maps.Select(m => m.Name));
        var counts = spec.Maps[0];
        Assert.Equal((MapType.Array, 4u, 8u, 4u, MapCreateFlags.None, MapSource.LegacyMaps, 0L),
            (counts.Type, counts.KeySize, counts.ValueSize, counts.MaxEntries, counts.Flags, counts.Source, counts.SectionOffset));
        var table = spec.Maps[1];
        Assert.Equal((MapType.Hash, 8u, 16u, 128u, MapCreateFlags.NoPrealloc, 20L),
            (table.Type, table.KeySize, table.ValueSize, table.MaxEntries, table.Flags, table.SectionOffset));
        Assert.False(counts.HasBtf);
        Assert.Equal(["counts", "table"], spec.Programs.Single().MapReferences.Select(r => r.MapName));
    }

    [Fact]
    public void License_and_object_name_come_from_the_object()
    {
        var spec = Load("conntrack_timers.o");
        Assert.Equal("conntrack_timer", spec.ObjectName);
        Assert.Equal("GPL", spec.License);
        Assert.Null(spec.KernelVersion);
        Assert.Equal("conntrack_timers.o", spec.FileName);
        Assert.All(spec.Programs, p => Assert.Equal("GPL", p.License));
        Assert.Equal("Dual MIT/GPL", Load("subprograms.o").License);
    }

    [Fact]
    public void Loading_twice_gives_identical_blueprints()
    {
        var first = Load("shapes.o");
        var second = ObjectLoader.Load(File.ReadAllBytes(LoaderTestFiles.PathOf("shapes.o")), "shapes.o");
        Assert.Equal(LibbpfGolden.Format(first, true), LibbpfGolden.Format(second, true));
        Assert.Equal(first.Programs.SelectMany(p => p.Instructions), second.Programs.SelectMany(p => p.Instructions));
    }
}
