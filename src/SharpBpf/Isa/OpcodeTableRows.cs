namespace SharpBpf.Isa;

/// <summary>Builds the rows of <see cref="OpcodeTable"/>; kept apart so the table's lookups read on their own.</summary>
internal static class OpcodeTableRows
{
    private static readonly FieldRule Op = FieldRule.Operand;
    private static readonly FieldRule Zero = FieldRule.Zero;

    private static readonly (string Name, AluOperation Op)[] AluBinary =
    [
        ("add", AluOperation.Add), ("sub", AluOperation.Sub), ("mul", AluOperation.Mul), ("div", AluOperation.Div),
        ("or", AluOperation.Or), ("and", AluOperation.And), ("lsh", AluOperation.Lsh), ("rsh", AluOperation.Rsh),
        ("mod", AluOperation.Mod), ("xor", AluOperation.Xor), ("mov", AluOperation.Mov), ("arsh", AluOperation.Arsh),
    ];

    private static readonly (string Name, JumpOperation Op, int CpuVersion)[] Conditions =
    [
        ("jeq", JumpOperation.Jeq, 1), ("jgt", JumpOperation.Jgt, 1), ("jge", JumpOperation.Jge, 1),
        ("jset", JumpOperation.Jset, 1), ("jne", JumpOperation.Jne, 1), ("jsgt", JumpOperation.Jsgt, 1),
        ("jsge", JumpOperation.Jsge, 1), ("jlt", JumpOperation.Jlt, 2), ("jle", JumpOperation.Jle, 2),
        ("jslt", JumpOperation.Jslt, 2), ("jsle", JumpOperation.Jsle, 2),
    ];

    private static readonly (string Suffix, AccessSize Size)[] Sizes =
    [
        ("b", AccessSize.Byte), ("h", AccessSize.Half), ("w", AccessSize.Word), ("dw", AccessSize.DoubleWord),
    ];

    private static readonly (string Name, AtomicOperation Op)[] Atomics =
    [
        ("add", AtomicOperation.Add), ("or", AtomicOperation.Or), ("and", AtomicOperation.And), ("xor", AtomicOperation.Xor),
        ("fetch add", AtomicOperation.FetchAdd), ("fetch or", AtomicOperation.FetchOr),
        ("fetch and", AtomicOperation.FetchAnd), ("fetch xor", AtomicOperation.FetchXor),
        ("xchg", AtomicOperation.Xchg), ("cmpxchg", AtomicOperation.CmpXchg),
    ];

    private static readonly (string Qualifier, LoadImm64Source Source)[] LoadImm64Kinds =
    [
        ("", LoadImm64Source.Immediate), ("map_fd", LoadImm64Source.MapFd), ("map_value", LoadImm64Source.MapValue),
        ("btf_id", LoadImm64Source.BtfId), ("func", LoadImm64Source.Function), ("map_idx", LoadImm64Source.MapIndex),
        ("map_idx_value", LoadImm64Source.MapIndexValue),
    ];

    public static IEnumerable<OpcodeInfo> Build()
    {
        foreach (var row in AluRows()) yield return row;
        foreach (var row in MemoryRows()) yield return row;
        foreach (var row in JumpRows()) yield return row;
    }

    private static IEnumerable<OpcodeInfo> AluRows()
    {
        foreach (var (is64, cls, suffix) in new[] { (true, InstructionClass.Alu64, ""), (false, InstructionClass.Alu, "32") })
        {
            var baseGroup = is64 ? ConformanceGroups.Base64 : ConformanceGroups.Base32;
            var divGroup = is64 ? ConformanceGroups.DivMul64 : ConformanceGroups.DivMul32;
            foreach (var (name, op) in AluBinary)
            {
                var group = op is AluOperation.Mul or AluOperation.Div or AluOperation.Mod ? divGroup : baseGroup;
                var imm = (byte)((byte)cls | (byte)op);
                var reg = (byte)(imm | 0x08);
                yield return new(imm, name + suffix, "", InstructionForm.AluImm, Op, Zero, Zero, Op, 1, group);
                yield return new(reg, name + suffix, "", InstructionForm.AluReg, Op, Op, Zero, Zero, 1, group);
                if (op is AluOperation.Div or AluOperation.Mod)
                {
                    var signed = "s" + name + suffix;
                    yield return new(imm, signed, "", InstructionForm.AluImm, Op, Zero, FieldRule.Fixed(1), Op, 4, group);
                    yield return new(reg, signed, "", InstructionForm.AluReg, Op, Op, FieldRule.Fixed(1), Zero, 4, group);
                }

                if (op is AluOperation.Mov)
                {
                    foreach (var bits in is64 ? new[] { 8, 16, 32 } : [8, 16])
                    {
                        yield return new(reg, $"movsx{bits}{(is64 ? 64 : 32)}", "", InstructionForm.AluReg,
                            Op, Op, FieldRule.Fixed(bits), Zero, 4, baseGroup);
                    }
                }
            }

            yield return new((byte)((byte)cls | (byte)AluOperation.Neg), "neg" + suffix, "", InstructionForm.AluUnary,
                Op, Zero, Zero, Zero, 1, baseGroup);
        }

        foreach (var bits in new[] { 16, 32, 64 })
        {
            var group = bits == 64 ? ConformanceGroups.Base64 : ConformanceGroups.Base32;
            yield return new(Opcodes.ToLe, $"le{bits}", "", InstructionForm.Endian, Op, Zero, Zero, FieldRule.Fixed(bits), 1, group);
            yield return new(Opcodes.ToBe, $"be{bits}", "", InstructionForm.Endian, Op, Zero, Zero, FieldRule.Fixed(bits), 1, group);
            yield return new(Opcodes.Bswap, $"bswap{bits}", "", InstructionForm.Endian, Op, Zero, Zero, FieldRule.Fixed(bits), 4, group);
        }
    }

    private static IEnumerable<OpcodeInfo> MemoryRows()
    {
        foreach (var (qualifier, source) in LoadImm64Kinds)
        {
            yield return new(Opcodes.Lddw, "lddw", qualifier, InstructionForm.LoadImm64,
                Op, FieldRule.Fixed((int)source), Zero, Op, 1, ConformanceGroups.Base64);
        }

        foreach (var (suffix, size) in Sizes)
        {
            var group = size == AccessSize.DoubleWord ? ConformanceGroups.Base64 : ConformanceGroups.Base32;
            var sz = (byte)size;
            if (size != AccessSize.DoubleWord)
            {
                yield return new((byte)(0x20 | sz), "ldabs" + suffix, "", InstructionForm.LoadPacketAbs,
                    Zero, Zero, Zero, Op, 1, ConformanceGroups.Packet);
                yield return new((byte)(0x40 | sz), "ldind" + suffix, "", InstructionForm.LoadPacketInd,
                    Zero, Op, Zero, Op, 1, ConformanceGroups.Packet);
                yield return new((byte)(0x81 | sz), "ldxs" + suffix, "", InstructionForm.Load, Op, Op, Op, Zero, 4, group);
            }

            yield return new((byte)(0x61 | sz), "ldx" + suffix, "", InstructionForm.Load, Op, Op, Op, Zero, 1, group);
            yield return new((byte)(0x62 | sz), "st" + suffix, "", InstructionForm.StoreImm, Op, Zero, Op, Op, 1, group);
            yield return new((byte)(0x63 | sz), "stx" + suffix, "", InstructionForm.StoreReg, Op, Op, Op, Zero, 1, group);
        }

        foreach (var (opcode, suffix, group) in new[]
                 {
                     (Opcodes.AtomicDw, "", ConformanceGroups.Atomic64),
                     (Opcodes.AtomicW, "32", ConformanceGroups.Atomic32),
                 })
        {
            foreach (var (name, op) in Atomics)
            {
                yield return new(opcode, "lock", name + suffix, InstructionForm.Atomic,
                    Op, Op, Op, FieldRule.Fixed((int)op), 3, group);
            }
        }
    }

    private static IEnumerable<OpcodeInfo> JumpRows()
    {
        yield return new(Opcodes.Ja, "ja", "", InstructionForm.Jump, Zero, Zero, Op, Zero, 1, ConformanceGroups.Base32);
        yield return new(Opcodes.Ja32, "ja32", "", InstructionForm.JumpLong, Zero, Zero, Zero, Op, 4, ConformanceGroups.Base32);
        // Not in RFC 9669: the kernel's loop-budget jump (src BPF_MAY_GOTO = 0), shaped like ja.
        yield return new(Opcodes.MayGoto, "may_goto", "", InstructionForm.Jump, Zero, Zero, Op, Zero, 4, ConformanceGroups.None);
        foreach (var (name, op, cpu) in Conditions)
        {
            var jmp = (byte)((byte)InstructionClass.Jmp | (byte)op);
            var jmp32 = (byte)((byte)InstructionClass.Jmp32 | (byte)op);
            yield return new(jmp, name, "", InstructionForm.CondJumpImm, Op, Zero, Op, Op, cpu, ConformanceGroups.Base64);
            yield return new((byte)(jmp | 0x08), name, "", InstructionForm.CondJumpReg, Op, Op, Op, Zero, cpu, ConformanceGroups.Base64);
            yield return new(jmp32, name + "32", "", InstructionForm.CondJumpImm, Op, Zero, Op, Op, 3, ConformanceGroups.Base32);
            yield return new((byte)(jmp32 | 0x08), name + "32", "", InstructionForm.CondJumpReg, Op, Op, Op, Zero, 3, ConformanceGroups.Base32);
        }

        yield return new(Opcodes.Call, "call", "", InstructionForm.CallHelper,
            Zero, FieldRule.Fixed((int)CallSource.Helper), Zero, Op, 1, ConformanceGroups.Base32);
        yield return new(Opcodes.Call, "call", "local", InstructionForm.CallLocal,
            Zero, FieldRule.Fixed((int)CallSource.Local), Zero, Op, 3, ConformanceGroups.Base32);
        yield return new(Opcodes.Call, "call", "kfunc", InstructionForm.CallKfunc,
            Zero, FieldRule.Fixed((int)CallSource.Kfunc), Op, Op, 3, ConformanceGroups.Base32);
        yield return new(Opcodes.Callx, "callx", "", InstructionForm.CallReg, Op, Zero, Zero, Zero, 1, ConformanceGroups.Callx);
        yield return new(Opcodes.Exit, "exit", "", InstructionForm.Exit, Zero, Zero, Zero, Zero, 1, ConformanceGroups.Base32);
    }
}
