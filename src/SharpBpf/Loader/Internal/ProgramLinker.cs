using System.Collections.Immutable;
using SharpBpf.Btf;
using SharpBpf.Isa;

namespace SharpBpf.Loader.Internal;

/// <summary>
/// Links each program as libbpf's <c>bpf_object__reloc_code</c> does: the main function's instructions, then each
/// subprogram appended when the first call (or function-address load) to it is met, processed depth first;
/// call and function-pointer immediates become relative to the appended copies; map and data references are
/// marked. Programs are every function outside <c>.text</c>, ordered by section index then offset (libbpf's
/// <c>cmp_progs</c>); the functions of <c>.text</c> are subprograms, unless <c>.text</c> holds the object's only function.
/// </summary>
internal static class ProgramLinker
{
    public static ImmutableArray<ProgramSpec> LinkAll(LoadContext context, string? license)
    {
        var all = context.CodeSections.Values.SelectMany(c => c.Functions).ToList();
        var programs = ImmutableArray.CreateBuilder<ProgramSpec>();
        foreach (var function in all)
        {
            bool isSubprogram = function.Section.IsText && all.Count > 1;
            if (!isSubprogram)
                programs.Add(Link(context, function, license));
        }
        return programs.ToImmutable();
    }

    private static ProgramSpec Link(LoadContext context, CodeFunction main, string? license)
    {
        var linker = new Linker(context);
        linker.Link(main);
        string elfSectionName = main.Section.Section.Name;
        bool optional = elfSectionName.StartsWith('?');
        string sectionName = optional ? elfSectionName[1..] : elfSectionName;
        var convention = SectionConventions.Find(sectionName);
        if (convention is null)
            context.Notes.Add($"program '{main.Name}': section name '{sectionName}' follows no known convention; its type is unspecified");
        return new ProgramSpec(main.Name, sectionName, elfSectionName, optional, convention,
            [.. linker.Instructions], [.. linker.Functions.OrderBy(f => f.StartSlot)], [.. linker.MapReferences.OrderBy(r => r.Slot)],
            [.. linker.FunctionPointers.OrderBy(r => r.Slot)], [.. linker.FuncInfo.OrderBy(f => f.InstructionOffset)],
            [.. linker.LineInfo.OrderBy(l => l.InstructionOffset)], main.StartSlot * Instruction.Size, license,
            [.. linker.KfuncReferences.OrderBy(r => r.Slot)]);
    }

    private sealed class Linker(LoadContext context)
    {
        private readonly Dictionary<CodeFunction, int> _placed = [];

        public List<Instruction> Instructions { get; } = [];
        public List<ProgramFunction> Functions { get; } = [];
        public List<MapReference> MapReferences { get; } = [];
        public List<FunctionPointerReference> FunctionPointers { get; } = [];
        public List<BtfFuncInfo> FuncInfo { get; } = [];
        public List<BtfLineInfo> LineInfo { get; } = [];
        public List<KfuncReference> KfuncReferences { get; } = [];

        /// <summary>
        /// Places <paramref name="main"/> and, depth first, everything it reaches. An explicit stack instead of
        /// recursion: a hostile object with a long call chain must not overflow the thread's stack.
        /// </summary>
        public void Link(CodeFunction main)
        {
            var pending = new Stack<(CodeFunction Function, int Start, int Next)>();
            pending.Push((main, Place(main), 0));
            while (pending.Count > 0)
            {
                var (function, start, next) = pending.Pop();
                if (next >= function.SlotCount)
                    continue;
                var code = function.Section;
                int sectionSlot = function.StartSlot + next;
                int slot = start + next;
                var instruction = Instructions[slot];
                pending.Push((function, start, next + (instruction.IsLoadImm64 ? 2 : 1)));
                bool hasRelocation = code.Relocations.TryGetValue(sectionSlot, out var relocation);
                if (hasRelocation && relocation.Kind == CodeRelocationKind.Zero)
                {
                    Instructions[slot] = instruction.WithSrc(0).WithImmediate(0);
                    Instructions[slot + 1] = Instructions[slot + 1].WithImmediate(0);
                }
                else if (hasRelocation && relocation.Kind is CodeRelocationKind.Kfunc)
                {
                    RecordKfunc(relocation, slot, instruction);
                }
                else if (hasRelocation && relocation.Kind is CodeRelocationKind.Map or CodeRelocationKind.Data)
                {
                    if (next + 1 >= function.SlotCount)
                        context.Fail("lddw is cut off by the end of its function", code.Section, (long)sectionSlot * Instruction.Size, relocation.SymbolName);
                    ApplyMap(relocation, slot, instruction);
                }
                else if (IsSubprogramCall(instruction) || IsFunctionAddress(instruction)
                    || (hasRelocation && relocation.Kind == CodeRelocationKind.FunctionAddress))
                {
                    bool isAddress = instruction.IsLoadImm64;
                    var target = ResolveTarget(function, sectionSlot, instruction, hasRelocation ? relocation : null);
                    if (!_placed.TryGetValue(target, out int targetStart))
                    {
                        // libbpf appends a subprogram at its first call and relocates it before going on.
                        targetStart = Place(target);
                        pending.Push((target, targetStart, 0));
                    }
                    var linked = instruction.WithImmediate(targetStart - slot - 1);
                    Instructions[slot] = isAddress ? linked.WithSrc((byte)LoadImm64Source.Function) : linked;
                    if (isAddress)
                        FunctionPointers.Add(new FunctionPointerReference(slot, targetStart, target.Name));
                }
            }
        }

        private int Place(CodeFunction function)
        {
            int start = Instructions.Count;
            _placed[function] = start;
            var code = function.Section;
            Instructions.AddRange(code.Instructions.AsSpan(function.StartSlot, function.SlotCount));
            Functions.Add(new ProgramFunction(function.Name, start, function.SlotCount, code.Section.Name, function.IsGlobal,
                function.StartSlot * Instruction.Size));
            CopyBtfExt(function, start);
            return start;
        }

        /// <summary>libbpf's RELO_EXTERN_CALL / RELO_EXTERN_LD64 of a kfunc, left for the runtime to resolve by name.</summary>
        private void RecordKfunc(CodeRelocation relocation, int slot, Instruction instruction)
        {
            var binding = context.Externs[relocation.SymbolName];
            if (instruction.IsLoadImm64)
            {
                Instructions[slot] = instruction.WithSrc(0).WithImmediate(0);
                Instructions[slot + 1] = Instructions[slot + 1].WithImmediate(0);
            }
            else
            {
                Instructions[slot] = instruction.WithSrc((byte)CallSource.Kfunc).WithImmediate(0);
            }

            KfuncReferences.Add(new KfuncReference(slot, relocation.SymbolName, binding.IsWeak, binding.Offset, instruction.IsLoadImm64));
        }

        private static bool IsSubprogramCall(Instruction instruction) =>
            instruction.Opcode == Opcodes.Call && instruction.Src == (byte)CallSource.Local;

        private static bool IsFunctionAddress(Instruction instruction) =>
            instruction.IsLoadImm64 && instruction.Src == (byte)LoadImm64Source.Function;

        private void ApplyMap(CodeRelocation relocation, int slot, Instruction instruction)
        {
            var map = context.Maps[relocation.MapIndex];
            if (relocation.Kind == CodeRelocationKind.Map)
            {
                Instructions[slot] = instruction.WithSrc((byte)LoadImm64Source.MapFd).WithImmediate(relocation.MapIndex);
                MapReferences.Add(new MapReference(slot, relocation.MapIndex, map.Name, MapReferenceKind.Map, 0));
                return;
            }
            uint offset = (uint)(instruction.Immediate + relocation.SymbolOffset);
            Instructions[slot] = instruction.WithSrc((byte)LoadImm64Source.MapValue).WithImmediate(relocation.MapIndex);
            Instructions[slot + 1] = Instructions[slot + 1].WithImmediate((int)offset);
            MapReferences.Add(new MapReference(slot, relocation.MapIndex, map.Name, MapReferenceKind.Value, offset));
        }

        private CodeFunction ResolveTarget(CodeFunction caller, int sectionSlot, Instruction instruction, CodeRelocation? relocation)
        {
            var code = caller.Section;
            long at = (long)sectionSlot * Instruction.Size;
            if (relocation is { } known)
            {
                var text = context.CodeSections[context.TextSectionIndex];
                return text.FunctionStartingAt(known.TargetSlot)!;
            }
            if (IsFunctionAddress(instruction))
                return context.Fail<CodeFunction>("function address load without a relocation", code.Section, at);
            // A call within one section needs no relocation: the immediate is relative to the call.
            long target = sectionSlot + (long)instruction.Immediate + 1;
            if (target < 0 || target >= code.Instructions.Length || code.FunctionStartingAt((int)target) is not { } callee)
                return context.Fail<CodeFunction>($"call target slot {target} is not the start of a function in '{code.Section.Name}'", code.Section, at);
            if (!code.IsText)
                return context.Fail<CodeFunction>($"call to '{callee.Name}' in section '{code.Section.Name}'; subprograms must be in .text", code.Section, at, callee.Name);
            return callee;
        }

        private void CopyBtfExt(CodeFunction function, int start)
        {
            var ext = context.BtfExt;
            if (ext is null)
                return;
            string sectionName = function.Section.Section.Name;
            int end = function.StartSlot + function.SlotCount;
            foreach (var info in ext.FunctionInfoFor(sectionName))
            {
                if (info.InstructionOffset % Instruction.Size == 0 && info.InstructionIndex >= function.StartSlot && info.InstructionIndex < end)
                    FuncInfo.Add(info with { InstructionOffset = (uint)((start + info.InstructionIndex - function.StartSlot) * Instruction.Size) });
            }
            foreach (var line in ext.LineInfoFor(sectionName))
            {
                if (line.InstructionOffset % Instruction.Size == 0 && line.InstructionIndex >= function.StartSlot && line.InstructionIndex < end)
                    LineInfo.Add(line with { InstructionOffset = (uint)((start + line.InstructionIndex - function.StartSlot) * Instruction.Size) });
            }
        }
    }
}
