using SharpBpf.Btf;
using SharpBpf.Isa;

namespace SharpBpf.Verifier;

internal sealed partial class Analysis
{
    private enum AccessSource
    {
        Read,
        Write,
        Helper,
    }

    private int? Load(int pc, Instruction insn, VerifierState state)
    {
        RequireInitialized(pc, state, insn.Src);
        CheckWritable(pc, insn.Dst);
        int size = AccessBytes(insn.Opcode);
        bool signExtend = (insn.Opcode & 0xe0) == (byte)AccessMode.MemSx;
        var loaded = Access(pc, state, insn.Src, insn.Offset, size, AccessSource.Read, stored: null);
        if (loaded.IsScalar && signExtend && !loaded.Range.IsConstant)
        {
            long half = 1L << (size * 8 - 1);
            loaded = RegisterValue.Scalar(ScalarRange.Signed(-half, half - 1));
        }
        else if (loaded.IsScalar && signExtend)
        {
            loaded = RegisterValue.Scalar(ScalarArithmetic.SignExtend(loaded.Range, size * 8, true));
        }

        state.Registers[insn.Dst] = loaded;
        return pc + 1;
    }

    private int? Store(int pc, Instruction insn, VerifierState state)
    {
        int size = AccessBytes(insn.Opcode);
        bool isAtomic = (insn.Opcode & 0xe0) == (byte)AccessMode.Atomic;
        RegisterValue stored;
        if (insn.Class == InstructionClass.Stx)
        {
            RequireInitialized(pc, state, insn.Src);
            stored = state.Registers[insn.Src];
        }
        else
        {
            stored = RegisterValue.Constant(size == 8 ? (ulong)(long)insn.Immediate : (ulong)insn.Immediate & ((1UL << (size * 8)) - 1));
        }

        RequireInitialized(pc, state, insn.Dst);
        if (!isAtomic)
        {
            Access(pc, state, insn.Dst, insn.Offset, size, AccessSource.Write, stored);
            return pc + 1;
        }

        var operation = (AtomicOperation)insn.Immediate;
        if (operation == AtomicOperation.CmpXchg)
        {
            RequireInitialized(pc, state, 0);
        }

        Access(pc, state, insn.Dst, insn.Offset, size, AccessSource.Read, stored: null);
        Access(pc, state, insn.Dst, insn.Offset, size, AccessSource.Write, RegisterValue.Scalar(ScalarRange.Bits(size * 8)));
        var old = RegisterValue.Scalar(ScalarRange.Bits(size * 8));
        if (operation == AtomicOperation.CmpXchg)
        {
            state.Registers[0] = old;
        }
        else if (((int)operation & 0x01) != 0)
        {
            state.Registers[insn.Src] = old;
        }

        return pc + 1;
    }

    /// <summary>
    /// A load or store of <paramref name="size"/> bytes at <paramref name="offset"/> from the pointer in
    /// <paramref name="register"/> (the kernel's <c>check_mem_access</c>); for a read, what the destination gets.
    /// </summary>
    private RegisterValue Access(int pc, VerifierState state, int register, int offset, int size, AccessSource source, RegisterValue? stored)
    {
        var pointer = state.Registers[register];
        switch (pointer.Kind)
        {
            case ValueKind.Scalar:
            case ValueKind.MapValueOrNull:
            case ValueKind.MapPointerOrNull:
            case ValueKind.PacketEnd:
                throw new Rejection(pc, $"R{register} invalid mem access '{pointer.Kind.KernelName()}'");
            case ValueKind.MapValue:
                CheckMapValueAccess(pc, register, pointer, offset, size, source);
                return ScalarOfSize(size);
            case ValueKind.MapKey:
                if (source == AccessSource.Write)
                {
                    throw new Rejection(pc, $"write to change key R{register} not allowed");
                }

                CheckRegion(pc, pointer, offset, size, pointer.Map?.KeySize, "map key, key_size");
                return ScalarOfSize(size);
            case ValueKind.Stack:
                return StackAccess(pc, state, register, pointer, offset, size, source, stored);
            case ValueKind.Context:
                return ContextAccess(pc, register, pointer, offset, size, source);
            default:
                return source == AccessSource.Read && pointer.Kind is ValueKind.Packet or ValueKind.PacketMeta
                    ? ScalarOfSize(size)
                    : RegisterValue.Unmodelled;
        }
    }

    private static RegisterValue ScalarOfSize(int size) => RegisterValue.Scalar(ScalarRange.Bits(size * 8));

    /// <summary>check_map_access: inside the value, and never over a special field such as the bpf_timer (R42).</summary>
    private static void CheckMapValueAccess(int pc, int register, RegisterValue pointer, int offset, int size, AccessSource source)
    {
        var map = pointer.Map;
        if (map is null)
        {
            return;
        }

        CheckRegion(pc, pointer, offset, size, map.ValueSize, "map value, value_size");
        if (source == AccessSource.Write && map.IsReadOnly)
        {
            throw new Rejection(pc, $"write into map forbidden, value_size={map.ValueSize} off={pointer.Offset + offset} size={size}");
        }

        if (pointer.Range.UMax > (ulong)map.ValueSize || pointer.Range.SMin < 0)
        {
            return;
        }

        long first = pointer.Offset + offset + pointer.Range.SMin;
        long end = pointer.Offset + offset + (long)pointer.Range.UMax + size;
        foreach (var field in map.SpecialFields)
        {
            if (first < field.Offset + field.Size && field.Offset < end)
            {
                throw new Rejection(pc, $"{field.Kind.StructName()} cannot be accessed directly by load/store");
            }
        }
    }

    /// <summary>A constant-offset access must lie inside a region of known size ("invalid access to map value, …").</summary>
    private static void CheckRegion(int pc, RegisterValue pointer, int offset, int size, int? regionSize, string what)
    {
        if (regionSize is not { } limit || !pointer.HasConstantOffset)
        {
            return;
        }

        long at = pointer.Offset + (long)pointer.Range.Value + offset;
        if (at < 0 || at + size > limit)
        {
            throw new Rejection(pc, $"invalid access to {what}={limit} off={at} size={size}");
        }
    }

    private RegisterValue StackAccess(int pc, VerifierState state, int register, RegisterValue pointer, int offset, int size,
        AccessSource source, RegisterValue? stored)
    {
        var frame = state.Frames[Math.Min(pointer.Frame, state.CurrentFrameIndex)];
        if (!pointer.HasConstantOffset)
        {
            bool bounded = pointer.Range.SMin > -FrameState.StackSize && pointer.Range.SMax < FrameState.StackSize;
            long low = bounded ? pointer.Offset + offset + pointer.Range.SMin : -FrameState.StackSize;
            long high = bounded ? pointer.Offset + offset + pointer.Range.SMax + size : 0;
            RecordStackDepth(frame.Function, low);
            if (source != AccessSource.Read)
            {
                frame.Clobber((int)Math.Max(low, -FrameState.StackSize), (int)(Math.Min(high, 0) - Math.Max(low, -FrameState.StackSize)));
            }

            return ScalarOfSize(size);
        }

        long at = pointer.Offset + (long)pointer.Range.Value + offset;
        if (at < -FrameState.StackSize || at + size > 0)
        {
            string verb = source switch { AccessSource.Helper => "indirect access to", AccessSource.Read => "read from", _ => "write to" };
            throw new Rejection(pc, $"invalid {verb} stack R{register} off={at} size={size}");
        }

        RecordStackDepth(frame.Function, at);
        int slot = (int)at;
        if (source == AccessSource.Read)
        {
            if (frame.Spills.TryGetValue(slot, out var spill) && spill.Size == size)
            {
                return spill.Value;
            }

            if (frame.Spills.TryGetValue(slot, out spill) && spill.Value.IsScalar && spill.Size == 8 && spill.Value.Range.UMax < (size == 8 ? ulong.MaxValue : 1UL << (size * 8)))
            {
                return spill.Value;
            }

            return ScalarOfSize(size);
        }

        frame.Clobber(slot, size);
        if (stored is { } value && (size == 8 || value.IsScalar))
        {
            frame.Spills[slot] = (value.IsScalar && size < 8 ? RegisterValue.Scalar(Narrow(value.Range, size)) : value, size);
        }

        return RegisterValue.NotInit;
    }

    private static ScalarRange Narrow(ScalarRange range, int size)
    {
        ulong mask = (1UL << (size * 8)) - 1;
        if (range.IsConstant)
        {
            return ScalarRange.Constant(range.Value & mask);
        }

        return range.UMax <= mask ? range : ScalarRange.Bits(size * 8);
    }

    private void RecordStackDepth(int function, long lowestOffset)
    {
        if (lowestOffset < 0 && -lowestOffset > _stackDepth[function])
        {
            _stackDepth[function] = (int)Math.Min(-lowestOffset, int.MaxValue);
        }
    }

    /// <summary>Loads of data / data_end / data_meta give packet pointers; other fields are numbers.</summary>
    private RegisterValue ContextAccess(int pc, int register, RegisterValue pointer, int offset, int size, AccessSource source)
    {
        var layout = _input.Context;
        if (layout.DataOffset is null && layout.DataEndOffset is null)
        {
            // A context this verifier does not model (tracing arguments, BTF-typed pointers…): its fields may be pointers.
            return RegisterValue.Unmodelled;
        }

        if (pointer.Offset != 0 || !pointer.HasConstantOffset || !pointer.Range.IsConstant || pointer.Range.Value != 0)
        {
            throw new Rejection(pc, $"dereference of modified ctx ptr R{register} off={pointer.Offset + (long)pointer.Range.SMin} disallowed");
        }

        if (source != AccessSource.Read)
        {
            return RegisterValue.NotInit;
        }

        if (offset == layout.DataOffset)
        {
            return RegisterValue.Pointer(ValueKind.Packet);
        }

        if (offset == layout.DataEndOffset)
        {
            return RegisterValue.Pointer(ValueKind.PacketEnd);
        }

        if (offset == layout.DataMetaOffset)
        {
            return RegisterValue.Pointer(ValueKind.PacketMeta);
        }

        return ScalarOfSize(size);
    }

    private static int AccessBytes(byte opcode) => ((AccessSize)(opcode & 0x18)) switch
    {
        AccessSize.Byte => 1,
        AccessSize.Half => 2,
        AccessSize.Word => 4,
        _ => 8,
    };
}
