using System.Globalization;
using SharpBpf.Isa;

namespace SharpBpf.Verifier;

internal sealed partial class Analysis
{
    /// <summary>The kernel's BPF_MAX_VAR_OFF: no pointer may move this far, nor be accessed through such a variable part.</summary>
    private const long MaxVariableOffset = 1L << 29;

    /// <summary>
    /// An ALU operation with a pointer operand, as the kernel's adjust_reg_min_max_vals and adjust_ptr_min_max_vals
    /// judge it for a privileged program: pointer minus pointer is a number; otherwise only 64-bit addition and
    /// subtraction of a sane scalar move a pointer, and each other case has its own message.
    /// </summary>
    private bool PointerArithmetic(int pc, Instruction insn, AluOperation op, bool is64, RegisterValue dst, RegisterValue src, out RegisterValue result)
    {
        result = RegisterValue.UnknownScalar;
        if (op == AluOperation.Neg)
        {
            // Negating a pointer is allowed to root and leaves a number.
            return true;
        }

        bool fromRegister = (insn.Opcode & 0x08) != 0;
        if (dst.IsPointer && src.IsPointer && fromRegister)
        {
            // allow_ptr_leaks: the difference of two pointers is a number, at any width.
            return op == AluOperation.Sub || Reject(pc, $"R{insn.Dst} pointer {OperatorText(op)} pointer prohibited");
        }

        var (pointer, offset) = dst.IsPointer ? (dst, src) : (src, dst);

        if (!is64)
        {
            return op == AluOperation.Sub || Reject(pc, $"R{insn.Dst} 32-bit pointer arithmetic prohibited");
        }

        if (pointer.Kind.MayBeNull())
        {
            return Reject(pc, $"R{insn.Dst} pointer arithmetic on {pointer.Kind.KernelName()} prohibited, null-check it first");
        }

        bool known = offset.Range.IsConstant;
        bool movable = pointer.Kind is ValueKind.Context or ValueKind.MapValue or ValueKind.MapKey or ValueKind.Stack
            or ValueKind.Packet or ValueKind.PacketMeta or ValueKind.Function or ValueKind.RingbufMemory or ValueKind.Memory
            or ValueKind.ReadOnlyMemory or ValueKind.BtfSocket or ValueKind.DynptrMemory
            || (pointer.Kind == ValueKind.MapPointer && known && offset.Range.Value == 0 && op == AluOperation.Add);
        if (!movable)
        {
            return Reject(pc, $"R{insn.Dst} pointer arithmetic on {pointer.Kind.KernelName()} prohibited");
        }

        string kind = pointer.Kind.KernelName();
        if (!CheckSaneOffset(pc, offset, kind) || !CheckSaneOffset(pc, pointer, kind))
        {
            return false;
        }

        switch (op)
        {
            case AluOperation.Add when known && FitsInt32(pointer.Offset + (long)offset.Range.Value):
                result = pointer with { Offset = pointer.Offset + (long)offset.Range.Value };
                break;
            case AluOperation.Add:
                result = pointer with { Range = ScalarArithmetic.Apply(AluOperation.Add, true, pointer.Range, offset.Range) };
                if (pointer.IsPacket)
                {
                    // Something variable was added: a new pointer, with nothing proven about it yet.
                    result = result with { Id = NewId(), PacketRange = 0 };
                }

                break;
            case AluOperation.Sub when !dst.IsPointer:
                return Reject(pc, $"R{insn.Dst} tried to subtract pointer from scalar");
            case AluOperation.Sub when pointer.Kind == ValueKind.Stack:
                return Reject(pc, $"R{insn.Dst} subtraction from stack pointer prohibited");
            case AluOperation.Sub when known && FitsInt32(pointer.Offset - (long)offset.Range.Value):
                result = pointer with { Offset = pointer.Offset - (long)offset.Range.Value };
                break;
            case AluOperation.Sub:
                result = pointer with { Range = ScalarArithmetic.Apply(AluOperation.Sub, true, pointer.Range, offset.Range) };
                if (pointer.IsPacket)
                {
                    // Moving back by a known non-negative amount keeps the bytes proven ahead of the pointer.
                    result = result with { Id = NewId(), PacketRange = offset.Range.SMin < 0 ? 0 : pointer.PacketRange };
                }

                break;
            case AluOperation.And or AluOperation.Or or AluOperation.Xor:
                return Reject(pc, $"R{insn.Dst} bitwise operator {OperatorText(op)} on pointer prohibited");
            default:
                return Reject(pc, $"R{insn.Dst} pointer arithmetic with {OperatorText(op)} operator prohibited");
        }

        return CheckSaneOffset(pc, result, kind);
    }

    private static bool FitsInt32(long value) => value == (int)value;

    /// <summary>The kernel's check_reg_sane_offset, for the scalar operand, the pointer, and the result.</summary>
    private bool CheckSaneOffset(int pc, RegisterValue value, string pointerKind)
    {
        var range = value.Range;
        if (range.IsConstant && ((long)range.Value >= MaxVariableOffset || (long)range.Value <= -MaxVariableOffset))
        {
            return Reject(pc, string.Create(CultureInfo.InvariantCulture, $"math between {pointerKind} pointer and {(long)range.Value} is not allowed"));
        }

        if (value.IsPointer && (value.Offset >= MaxVariableOffset || value.Offset <= -MaxVariableOffset))
        {
            return Reject(pc, string.Create(CultureInfo.InvariantCulture, $"{pointerKind} pointer offset {value.Offset} is not allowed"));
        }

        if (range.SMin == long.MinValue)
        {
            return Reject(pc, $"math between {pointerKind} pointer and register with unbounded min value is not allowed");
        }

        if (range.SMin >= MaxVariableOffset || range.SMin <= -MaxVariableOffset)
        {
            return Reject(pc, string.Create(CultureInfo.InvariantCulture, $"value {range.SMin} makes {pointerKind} pointer be out of bounds"));
        }

        return true;
    }

    /// <summary>The kernel's bpf_alu_string, as its messages spell operators.</summary>
    private static string OperatorText(AluOperation op) => op switch
    {
        AluOperation.Add => "+=",
        AluOperation.Sub => "-=",
        AluOperation.Mul => "*=",
        AluOperation.Div => "/=",
        AluOperation.Or => "|=",
        AluOperation.And => "&=",
        AluOperation.Lsh => "<<=",
        AluOperation.Rsh => ">>=",
        AluOperation.Neg => "neg",
        AluOperation.Mod => "%=",
        AluOperation.Xor => "^=",
        AluOperation.Mov => "=",
        AluOperation.Arsh => "s>>=",
        _ => "endian",
    };
}
