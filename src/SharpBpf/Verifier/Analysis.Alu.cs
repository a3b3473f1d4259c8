using SharpBpf.Isa;

namespace SharpBpf.Verifier;

internal sealed partial class Analysis
{
    private bool Alu(int pc, Instruction insn, VerifierState state, out int? next)
    {
        next = pc + 1;
        var regs = state.Registers;
        bool is64 = insn.Class == InstructionClass.Alu64;
        bool fromRegister = (insn.Opcode & 0x08) != 0;
        var op = (AluOperation)(insn.Opcode & 0xf0);
        if (!CheckWritable(pc, insn.Dst))
        {
            return false;
        }

        if (op == AluOperation.End)
        {
            if (!RequireInitialized(pc, state, insn.Dst))
            {
                return false;
            }

            var value = regs[insn.Dst];
            // Opcode 0xd7 (ALU64 class) is the unconditional bswap; in the ALU class the source bit picks be/le.
            bool toBigEndian = is64 || fromRegister;
            regs[insn.Dst] = value.IsScalar
                ? RegisterValue.Scalar(ScalarArithmetic.ByteSwap(value.Range, toBigEndian, insn.Immediate))
                : RegisterValue.Unmodelled;
            return true;
        }

        RegisterValue source;
        if (fromRegister && op != AluOperation.Neg)
        {
            if (!RequireInitialized(pc, state, insn.Src))
            {
                return false;
            }

            source = regs[insn.Src];
        }
        else
        {
            source = RegisterValue.Constant(is64 ? (ulong)(long)insn.Immediate : (uint)insn.Immediate);
        }

        if (op == AluOperation.Mov)
        {
            if (fromRegister && source.IsScalar && KeepsLink(source, insn, is64))
            {
                source = LinkScalar(state, insn.Src);
            }

            regs[insn.Dst] = Move(source, insn, is64);
            return true;
        }

        if (!RequireInitialized(pc, state, insn.Dst))
        {
            return false;
        }

        var destination = regs[insn.Dst];
        if (op == AluOperation.Neg)
        {
            source = destination;
        }

        if (fromRegister && op != AluOperation.Neg && destination.IsPointer != source.IsPointer)
        {
            // The kernel's adjust_reg_min_max_vals: pointer +/- scalar makes the scalar precise. Every later bounds
            // (and alignment) judgement through the pointer rests on its value, so a path where it differs must not
            // be pruned against this one.
            MarkPrecise(state, destination.IsPointer ? insn.Src : insn.Dst);
        }

        if (!Arithmetic(pc, insn, op, is64, destination, source, out var result))
        {
            return false;
        }

        regs[insn.Dst] = result.IsScalar && destination.IsScalar
            ? LinkAfterArithmetic(result, destination, source, op, is64)
            : result;
        return true;
    }

    /// <summary>
    /// A copy stays linked to its source when it holds the same value: a 64-bit move, or a narrower move of a value
    /// that already fits (the kernel's get_reg_width and no_sext checks).
    /// </summary>
    private static bool KeepsLink(RegisterValue source, Instruction insn, bool is64)
    {
        if (insn.Offset is 8 or 16 or 32)
        {
            return source.Range.UMax < 1UL << (insn.Offset - 1);
        }

        return is64 || source.Range.UMax <= uint.MaxValue;
    }

    /// <summary>
    /// The kernel's assign_scalar_id_before_mov: a scalar about to be copied gets an id its copies share (a constant
    /// needs none; a copy plus a constant starts a fresh link rather than chaining offsets).
    /// </summary>
    private RegisterValue LinkScalar(VerifierState state, int register)
    {
        var value = state.Registers[register];
        if ((value.Id & RegisterValue.LinkedWithOffset) != 0)
        {
            value = value with { Id = 0, Offset = 0 };
        }

        if (value.Id == 0 && !value.Range.KnownBits.IsConstant)
        {
            value = value with { Id = NewId() };
        }

        state.Registers[register] = value;
        return value;
    }

    /// <summary>
    /// An arithmetic result is a new value, unlinked, except a 64-bit add or subtract of a 32-bit signed constant on
    /// a linked scalar: it stays linked with that offset (once; the kernel's BPF_ADD_CONST, which Linux 6.18.44 also
    /// applies to subtraction, measured: <c>r0 -= 5</c> logs <c>id=1-5</c>).
    /// </summary>
    private static RegisterValue LinkAfterArithmetic(RegisterValue result, RegisterValue destination, RegisterValue source, AluOperation op, bool is64)
    {
        if (op is not (AluOperation.Add or AluOperation.Sub) || !is64 || destination.Id == 0 || !source.IsScalar || !source.Range.IsConstant)
        {
            return result;
        }

        long value = (long)source.Range.Value;
        if ((destination.Id & RegisterValue.LinkedWithOffset) != 0 || value < int.MinValue || value > int.MaxValue
            || (op == AluOperation.Sub && value == int.MinValue))
        {
            return result;
        }

        return result with { Id = destination.Id | RegisterValue.LinkedWithOffset, Offset = op == AluOperation.Sub ? -value : value };
    }

    private static RegisterValue Move(RegisterValue source, Instruction insn, bool is64)
    {
        if (insn.Offset is 8 or 16 or 32)
        {
            return source.IsScalar
                ? new RegisterValue(ValueKind.Scalar, ScalarArithmetic.SignExtend(source.Range, insn.Offset, is64), Id: KeepsLink(source, insn, is64) ? source.Id : 0)
                : RegisterValue.Unmodelled;
        }

        if (is64)
        {
            return source;
        }

        return source.Kind switch
        {
            ValueKind.Scalar => new RegisterValue(ValueKind.Scalar, source.Range.Truncated32(), Id: KeepsLink(source, insn, is64) ? source.Id : 0),
            ValueKind.Unknown => RegisterValue.Unmodelled,
            // A privileged program may copy the low half of a pointer: it becomes a number.
            _ => RegisterValue.Scalar(ScalarRange.Bits(32)),
        };
    }

    private bool Arithmetic(int pc, Instruction insn, AluOperation op, bool is64, RegisterValue dst, RegisterValue src, out RegisterValue result)
    {
        if (dst.Kind == ValueKind.Unknown || src.Kind == ValueKind.Unknown)
        {
            result = RegisterValue.Unmodelled;
            return true;
        }

        if (dst.IsScalar && src.IsScalar)
        {
            var range = op == AluOperation.Neg
                ? ScalarArithmetic.Apply(AluOperation.Sub, is64, ScalarRange.Zero, dst.Range)
                : ScalarArithmetic.Apply(op, is64, dst.Range, src.Range);
            result = RegisterValue.Scalar(range);
            return true;
        }

        return PointerArithmetic(pc, insn, op, is64, dst, src, out result);
    }

    /// <summary>lddw: a 64-bit constant, a map, a map value's address, or a callback (R43's checks happen here).</summary>
    private bool LoadWide(int pc, Instruction insn, VerifierState state, out int? next)
    {
        if (!insn.IsLoadImm64)
        {
            return LegacyPacketLoad(pc, insn, state, out next);
        }

        next = pc + 2;
        if (!CheckWritable(pc, insn.Dst))
        {
            return false;
        }

        var regs = state.Registers;
        if (_input.MapReferences.TryGetValue(pc, out var reference))
        {
            regs[insn.Dst] = reference.IsValue
                ? RegisterValue.Pointer(ValueKind.MapValue, reference.Offset, reference.Map)
                : RegisterValue.Pointer(ValueKind.MapPointer, map: reference.Map);
            return true;
        }

        switch ((LoadImm64Source)insn.Src)
        {
            case LoadImm64Source.Immediate:
                ulong value = (uint)insn.Immediate | ((ulong)(uint)_code[pc + 1].Immediate << 32);
                regs[insn.Dst] = RegisterValue.Constant(value);
                break;
            case LoadImm64Source.Function:
                int target = pc + insn.Immediate + 1;
                int function = FunctionAt(target);
                if (!_input.HasFuncInfo)
                {
                    return Reject(pc, "missing btf func_info");
                }

                if (!IsStaticFunction(target))
                {
                    return Reject(pc, "callback function not static");
                }

                regs[insn.Dst] = new RegisterValue(ValueKind.Function, ScalarRange.Zero, Subprogram: function);
                break;
            default:
                regs[insn.Dst] = RegisterValue.Unmodelled;
                break;
        }

        return true;
    }

    private bool IsStaticFunction(int startSlot)
    {
        foreach (var function in _input.Functions)
        {
            if (function.StartSlot == startSlot)
            {
                return function.IsStatic;
            }
        }

        return false;
    }

    /// <summary>ld_abs / ld_ind: the packet byte(s) in R0; R1–R5 are clobbered as by a call.</summary>
    private bool LegacyPacketLoad(int pc, Instruction insn, VerifierState state, out int? next)
    {
        next = pc + 1;
        if (!RequireInitialized(pc, state, 6) || ((insn.Opcode & 0xe0) == (byte)AccessMode.Ind && !RequireInitialized(pc, state, insn.Src)))
        {
            return false;
        }

        int bytes = ((AccessSize)(insn.Opcode & 0x18)) switch { AccessSize.Byte => 1, AccessSize.Half => 2, _ => 4 };
        var regs = state.Registers;
        for (var r = 1; r <= 5; r++)
        {
            regs[r] = RegisterValue.NotInit;
        }

        regs[0] = RegisterValue.Scalar(ScalarRange.Bits(bytes * 8));
        return true;
    }

    private bool RequireInitialized(int pc, VerifierState state, int register)
    {
        if (state.Registers[register].Kind == ValueKind.NotInit)
        {
            return Reject(pc, $"R{register} !read_ok");
        }

        return true;
    }

    private bool CheckWritable(int pc, int register)
    {
        if (register == 10)
        {
            return Reject(pc, "frame pointer is read only");
        }

        return true;
    }
}
