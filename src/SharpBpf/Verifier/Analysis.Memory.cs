using System.Globalization;
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
        /// <summary>A global function's memory argument, checked at the call (the kernel's check_mem_reg: a read, then a write).</summary>
        GlobalArgument,
    }

    private bool Load(int pc, Instruction insn, VerifierState state, out int? next)
    {
        next = pc + 1;
        if (!RequireInitialized(pc, state, insn.Src) || !CheckWritable(pc, insn.Dst))
        {
            return false;
        }

        int size = AccessBytes(insn.Opcode);
        bool signExtend = (insn.Opcode & 0xe0) == (byte)AccessMode.MemSx;
        var pointer = state.Registers[insn.Src];
        Proofs.BeginVisit();
        if (!Access(pc, state, insn.Src, insn.Offset, size, AccessSource.Read, stored: null, out var loaded))
        {
            return false;
        }

        Proofs.EndVisit(pc, pointer);
        if (signExtend && state.Registers[insn.Src].Kind == ValueKind.Context && loaded.IsPointer)
        {
            // The kernel's is_valid_access refuses a sign-extending load of a field that holds a pointer.
            return Reject(pc, $"invalid bpf_context access off={insn.Offset} size={size}");
        }

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
        return true;
    }

    private bool Store(int pc, Instruction insn, VerifierState state, out int? next)
    {
        next = pc + 1;
        int size = AccessBytes(insn.Opcode);
        bool isAtomic = (insn.Opcode & 0xe0) == (byte)AccessMode.Atomic;
        RegisterValue stored;
        if (insn.Class == InstructionClass.Stx)
        {
            if (!RequireInitialized(pc, state, insn.Src))
            {
                return false;
            }

            stored = state.Registers[insn.Src];
            if (stored.IsScalar && SpillsWhole(state.Registers[insn.Dst], insn.Offset, size, stored))
            {
                // The spilled copy stays linked to the register (the kernel's assign_scalar_id_before_mov on a spill).
                stored = LinkScalar(state, insn.Src);
            }
        }
        else
        {
            stored = RegisterValue.Constant(size == 8 ? (ulong)(long)insn.Immediate : (ulong)insn.Immediate & ((1UL << (size * 8)) - 1));
        }

        if (!RequireInitialized(pc, state, insn.Dst))
        {
            return false;
        }

        if (!isAtomic)
        {
            Proofs.BeginVisit();
            if (!Access(pc, state, insn.Dst, insn.Offset, size, AccessSource.Write, stored, out _))
            {
                return false;
            }

            Proofs.EndVisit(pc, state.Registers[insn.Dst]);
            return true;
        }

        var operation = (AtomicOperation)insn.Immediate;
        if (operation == AtomicOperation.CmpXchg && !RequireInitialized(pc, state, 0))
        {
            return false;
        }

        var target = state.Registers[insn.Dst];
        if (target.Kind is ValueKind.Context or ValueKind.Packet or ValueKind.PacketMeta)
        {
            return Reject(pc, $"BPF_ATOMIC stores into R{insn.Dst} {target.Kind.KernelName()} is not allowed");
        }

        if (!CheckAtomicAlignment(pc, target, insn.Offset, size))
        {
            return false;
        }

        // An atomic reads and writes: both must be proven, and so must its alignment (checked mode faults a
        // misaligned atomic, so an unchecked one may only run where the address is known to be aligned).
        bool aligned = IsKnownAligned(target, insn.Offset, size);
        Proofs.BeginVisit();
        if (!Access(pc, state, insn.Dst, insn.Offset, size, AccessSource.Read, stored: null, out _))
        {
            return false;
        }

        if (target.Kind == ValueKind.Stack && !target.HasConstantOffset && ((int)operation & 0x01) == 0)
        {
            // check_stack_read refuses a variable offset when the value read goes to no register (an atomic
            // without BPF_FETCH), with the words of the helper-argument path it shares.
            return Reject(pc, string.Create(CultureInfo.InvariantCulture,
                $"variable offset stack pointer cannot be passed into helper function; var_off={target.Range.KnownBits} off={target.Offset + insn.Offset} size={size}"));
        }

        Proofs.EndVisit(pc, target);
        Proofs.BeginVisit();
        if (!Access(pc, state, insn.Dst, insn.Offset, size, AccessSource.Write, RegisterValue.Scalar(ScalarRange.Bits(size * 8)), out _))
        {
            return false;
        }

        Proofs.EndVisit(pc, target, alsoProven: aligned);
        var old = RegisterValue.Scalar(ScalarRange.Bits(size * 8));
        if (operation == AtomicOperation.CmpXchg)
        {
            state.Registers[0] = old;
        }
        else if (((int)operation & 0x01) != 0)
        {
            state.Registers[insn.Src] = old;
        }

        return true;
    }

    /// <summary>
    /// A load or store of <paramref name="size"/> bytes at <paramref name="offset"/> from the pointer in
    /// <paramref name="register"/> (the kernel's <c>check_mem_access</c>); for a read, <paramref name="value"/> is what
    /// the destination gets.
    /// </summary>
    private bool Access(int pc, VerifierState state, int register, int offset, int size, AccessSource source, RegisterValue? stored, out RegisterValue value)
    {
        var pointer = state.Registers[register];
        value = RegisterValue.Unmodelled;
        bool proven;
        switch (pointer.Kind)
        {
            case ValueKind.Scalar:
            case ValueKind.MapValueOrNull:
            case ValueKind.MapPointerOrNull:
            case ValueKind.RingbufMemoryOrNull:
            case ValueKind.MemoryOrNull:
            case ValueKind.DynptrMemoryOrNull:
            case ValueKind.SocketOrNull:
            case ValueKind.SockCommonOrNull:
            case ValueKind.TcpSockOrNull:
            case ValueKind.BtfSocketOrNull:
            case ValueKind.PacketEnd:
                return Reject(pc, $"R{register} invalid mem access '{pointer.Kind.KernelName()}'");
            case ValueKind.MapValue:
                if (!CheckMapValueAccess(pc, register, pointer, offset, size, source, out proven))
                {
                    return false;
                }

                if (proven)
                {
                    Proofs.InBounds(AccessRegions.MapValue);
                }

                value = ScalarOfSize(size);
                return true;
            case ValueKind.MapKey:
                if (source == AccessSource.Write)
                {
                    return Reject(pc, $"write to change key R{register} not allowed");
                }

                if (!CheckRegion(pc, register, pointer, offset, size, pointer.Map?.KeySize, "map key, key_size", out proven))
                {
                    return false;
                }

                if (proven)
                {
                    Proofs.InBounds(AccessRegions.MapKey);
                }

                value = ScalarOfSize(size);
                return true;
            case ValueKind.RingbufMemory:
                if (!CheckRegion(pc, register, pointer, offset, size, pointer.MemorySize, "memory, mem_size", out proven))
                {
                    return false;
                }

                if (proven)
                {
                    Proofs.InBounds(AccessRegions.RingbufRecord);
                }

                value = source == AccessSource.Read ? ScalarOfSize(size) : RegisterValue.NotInit;
                return true;
            case ValueKind.Memory:
                // The region behind a global function's argument is the caller's: proven only if every call site's was.
                if (!CheckRegion(pc, register, pointer, offset, size, pointer.MemorySize, "memory, mem_size", out bool callerProven))
                {
                    return false;
                }

                if (callerProven)
                {
                    Proofs.InBounds(AccessRegions.CallerMemory);
                }

                value = source == AccessSource.Read ? ScalarOfSize(size) : RegisterValue.NotInit;
                return true;
            case ValueKind.DynptrMemory:
                return DynptrSliceAccess(pc, register, pointer, offset, size, source, out value);
            case ValueKind.ReadOnlyMemory:
                if (source == AccessSource.Write)
                {
                    return Reject(pc, $"R{register} cannot write into rdonly_mem");
                }

                if (!CheckRegion(pc, register, pointer, offset, size, pointer.MemorySize, "memory, mem_size", out bool iteratorProven))
                {
                    return false;
                }

                // The only read-only memory is bpf_iter_num_next's current value: stack bytes of the iterator's frame.
                if (iteratorProven && pointer.Frame <= state.CurrentFrameIndex)
                {
                    Proofs.InBounds(AccessRegions.Stack);
                }

                value = ScalarOfSize(size);
                return true;
            case ValueKind.Stack:
                return StackAccess(pc, state, register, pointer, offset, size, source, stored, out value);
            case ValueKind.Socket or ValueKind.SockCommon or ValueKind.TcpSock:
                return SocketAccess(pc, register, pointer, offset, size, source, out value);
            case ValueKind.BtfSocket:
                return KernelSocketAccess(pc, register, pointer, offset, size, source, out value);
            case ValueKind.Context:
                return ContextAccess(pc, register, pointer, offset, size, source, out value);
            case ValueKind.Packet or ValueKind.PacketMeta:
                if (source == AccessSource.Write && !_input.Context.PacketWritable)
                {
                    return Reject(pc, "cannot write into packet");
                }

                if (!CheckPacketAccess(pc, register, pointer, offset, size))
                {
                    return false;
                }

                // Only where the runtime hands the program a real packet may a proven access run unchecked: other types
                // run on a context of the caller's bytes, whose data pointers are whatever those bytes say.
                if (_input.Context.RunsOnPacket)
                {
                    Proofs.InBounds(pointer.Kind == ValueKind.Packet ? AccessRegions.Packet : AccessRegions.PacketMeta);
                }

                value = source == AccessSource.Read ? ScalarOfSize(size) : RegisterValue.NotInit;
                return true;
            default:
                return true;
        }
    }

    private static RegisterValue ScalarOfSize(int size) => RegisterValue.Scalar(ScalarRange.Bits(size * 8));

    /// <summary>
    /// check_map_access: inside the value, and never over a special field such as the bpf_timer (R42).
    /// <paramref name="proven"/> when both were proven; not when a check was skipped (no map known).
    /// </summary>
    private bool CheckMapValueAccess(int pc, int register, RegisterValue pointer, int offset, int size, AccessSource source, out bool proven)
    {
        proven = false;
        var map = pointer.Map;
        if (map is null)
        {
            return true;
        }

        if (source == AccessSource.Write && map.IsReadOnly)
        {
            return Reject(pc, $"write into map forbidden, value_size={map.ValueSize} off={pointer.Offset + offset} size={size}");
        }

        if (!CheckRegion(pc, register, pointer, offset, size, map.ValueSize, "map value, value_size", out bool inRegion))
        {
            return false;
        }

        if (!inRegion || pointer.Range.UMax > (ulong)map.ValueSize || pointer.Range.SMin < 0)
        {
            return true;
        }

        long first = pointer.Offset + offset + pointer.Range.SMin;
        long end = pointer.Offset + offset + (long)pointer.Range.UMax + size;
        foreach (var field in map.SpecialFields)
        {
            if (first < field.Offset + field.Size && field.Offset < end)
            {
                return Reject(pc, $"{field.Kind.StructName()} cannot be accessed directly by load/store");
            }
        }

        proven = true;
        return true;
    }

    /// <summary>
    /// The kernel's check_mem_region_access: every offset the pointer may hold (its fixed offset plus the smallest
    /// and the largest variable part) must keep the access inside a region of known size (a map value or key).
    /// <paramref name="proven"/> when it did; not when the check was skipped (size unknown).
    /// </summary>
    private bool CheckRegion(int pc, int register, RegisterValue pointer, int offset, int size, int? regionSize, string what, out bool proven)
    {
        proven = false;
        if (regionSize is not { } limit)
        {
            return true;
        }

        long off = pointer.Offset + offset;
        var range = pointer.Range;
        if (range.SMin < 0 && (range.SMin == long.MinValue || !FitsInt32(off + range.SMin) || range.SMin + off < 0))
        {
            return Reject(pc, $"R{register} min value is negative, either use unsigned index or do a if (index >=0) check.");
        }

        long lowest = range.SMin + off;
        if (!InsideRegion(lowest, size, limit))
        {
            return Reject(pc, $"R{register} min value is outside of the allowed memory range", $"invalid access to {what}={limit} off={(int)lowest} size={size}");
        }

        if (range.UMax >= (ulong)MaxVariableOffset)
        {
            return Reject(pc, $"R{register} unbounded memory access, make sure to bounds check any such access");
        }

        long highest = (long)range.UMax + off;
        if (!InsideRegion(highest, size, limit))
        {
            return Reject(pc, $"R{register} max value is outside of the allowed memory range", $"invalid access to {what}={limit} off={(int)highest} size={size}");
        }

        proven = true;
        return true;
    }

    /// <summary>The kernel's __check_mem_access condition (a zero-sized access is never allowed here).</summary>
    private static bool InsideRegion(long off, int size, long limit) => (int)off >= 0 && size > 0 && (int)off + (long)size <= limit;

    /// <summary>
    /// The kernel's check_packet_access: the fixed offset of the access must lie inside the bytes a comparison with
    /// data_end proved (the pointer's <c>r=</c>); a variable part must be known non-negative, and is covered by
    /// the range because the range was learned for this very pointer (its id).
    /// </summary>
    private bool CheckPacketAccess(int pc, int register, RegisterValue pointer, int offset, int size)
    {
        if (pointer.Range.SMin < 0)
        {
            return Reject(pc, $"R{register} min value is negative, either use unsigned index or do a if (index >=0) check.");
        }

        string reason = $"R{register} offset is outside of the packet";
        if (pointer.PacketRange < 0)
        {
            return Reject(pc, reason);
        }

        int off = (int)(pointer.Offset + offset);
        if (!InsideRegion(off, size, pointer.PacketRange))
        {
            return Reject(pc, reason,
                $"invalid access to packet, off={off} size={size}, R{register}(id={pointer.Id},off={off},r={pointer.PacketRange})");
        }

        return true;
    }

    private bool StackAccess(int pc, VerifierState state, int register, RegisterValue pointer, int offset, int size,
        AccessSource source, RegisterValue? stored, out RegisterValue value, bool helperWrites = false)
    {
        value = RegisterValue.NotInit;
        var frame = state.Frames[Math.Min(pointer.Frame, state.CurrentFrameIndex)];
        // A pointer into a frame that has returned addresses memory no live frame owns: never proven.
        bool liveFrame = pointer.Frame <= state.CurrentFrameIndex;
        // Linux 6.18 names a helper's access by its direction (measured: bpf_get_current_comm past its buffer is
        // "invalid write to stack", a map key past the stack "invalid read from stack").
        string verb = source switch
        {
            AccessSource.Helper => helperWrites ? "write to" : "read from",
            AccessSource.Read or AccessSource.GlobalArgument => "read from",
            _ => "write to",
        };
        long off = pointer.Offset + offset;
        if (!pointer.HasConstantOffset)
        {
            // The kernel's check_generic_ptr_alignment, strict for the stack: every possible address must be aligned.
            if (source != AccessSource.Helper && !IsAlignedOffset(pointer, offset, size))
            {
                return Reject(Misaligned(pc, "stack ", pointer, offset, size));
            }

            return VariableStackAccess(pc, state, frame, register, pointer, off, size, source, verb, liveFrame, out value);
        }

        long at = off + (long)pointer.Range.Value;
        if (source is AccessSource.Read or AccessSource.Write && at % size != 0)
        {
            // The stack is always strict about alignment: spill tracking relies on whole slots.
            return Reject(Misaligned(pc, "stack ", pointer, offset, size));
        }

        if (at < -FrameState.StackSize || at + size > 0)
        {
            return Reject(pc, $"invalid {verb} stack R{register} off={at} size={size}");
        }

        if (liveFrame)
        {
            Proofs.InBounds(AccessRegions.Stack);
        }

        RecordStackDepth(frame.Function, at);
        int slot = (int)at;
        int frameIndex = Math.Min(pointer.Frame, state.CurrentFrameIndex);
        if (source != AccessSource.Write)
        {
            NoteStackAccess(frameIndex, slot, size, write: false, spillOrFill: source == AccessSource.Read && frame.Spills.ContainsKey(slot));
        }

        if (helperWrites && !CheckHelperWriteMissesDynptr(pc, frame, at, size))
        {
            return false;
        }

        if (source != AccessSource.Write && !CheckNotIterator(pc, frame, at, size, source == AccessSource.Helper ? register : null))
        {
            return false;
        }

        if (source == AccessSource.Read)
        {
            foreach (var (spilledAt, spilled) in frame.Spills)
            {
                bool overlaps = spilledAt < slot + size && slot < spilledAt + spilled.Size;
                if (overlaps && spilled.Value.IsPointer && (size != 8 || spilledAt != slot))
                {
                    return Reject(pc, "invalid size of register fill");
                }
            }

            if (frame.Spills.TryGetValue(slot, out var spill) && spill.Size == size)
            {
                value = spill.Value;
                return true;
            }

            if (frame.Spills.TryGetValue(slot, out spill) && spill.Value.IsScalar && spill.Size == 8 && spill.Value.Range.UMax < (size == 8 ? ulong.MaxValue : 1UL << (size * 8)))
            {
                value = spill.Value;
                return true;
            }

            // Bytes inside a spilled constant zero read as zero, as the kernel fills them (and the spill is what a
            // precise use of the value then relies on).
            int spillStart = slot & ~7;
            if (slot != spillStart && frame.Spills.TryGetValue(spillStart, out spill) && slot + size <= spillStart + spill.Size
                && spill.Value is { IsScalar: true, Range: { IsConstant: true, Value: 0 } })
            {
                _stepSpill = frameIndex < Checkpoint.FrameLimit ? (frameIndex, spillStart) : (-1, 0);
                value = RegisterValue.Scalar(ScalarRange.Constant(0));
                return true;
            }

            value = ScalarOfSize(size);
            return true;
        }

        if (source is AccessSource.Helper or AccessSource.GlobalArgument)
        {
            // A helper reading the stack leaves it as it was; one that writes it clobbers it (CheckHelperMemory).
            return true;
        }

        if (source == AccessSource.Write && stored is { IsPointer: true } && size != 8)
        {
            return Reject(pc, "invalid size of register spill");
        }

        if (!DestroyOverwrittenDynptrs(pc, state, frame, slot, size))
        {
            return false;
        }

        // A write inside an 8-byte slot that starts with a spill turns the whole slot into misc bytes in the kernel
        // (scrub_spilled_slot): the spill and any zeros beside it are forgotten, not only the bytes written.
        int slotStart = slot & ~7;
        if (slot != slotStart && frame.Spills.ContainsKey(slotStart))
        {
            frame.Clobber(slotStart, 8);
        }
        else
        {
            frame.Clobber(slot, size);
        }

        // The kernel keeps a narrow scalar as a spill only at an 8-byte boundary; elsewhere its bytes are misc,
        // or zeros (STACK_ZERO), which it then relies on: the stored register becomes precise.
        bool zero = stored is { IsScalar: true, Range: { IsConstant: true, Value: 0 } };
        bool kept = stored is { } candidate && (size == 8 || (candidate.IsScalar && (slot % 8 == 0 || zero)));
        NoteStackAccess(frameIndex, slot, size, write: true, spillOrFill: kept && slot % 8 == 0);
        if (kept && stored is { } storedValue)
        {
            bool whole = size == 8 || storedValue.Range.UMax < 1UL << (size * 8);
            frame.Spills[slot] = (storedValue.IsScalar && !whole ? RegisterValue.Scalar(Narrow(storedValue.Range, size)) : storedValue, size);
            if (slot % 8 != 0 && _code[pc].Class == InstructionClass.Stx)
            {
                MarkPrecise(state, _code[pc].Src);
            }
        }

        return true;
    }

    /// <summary>
    /// The kernel's check_stack_access_within_bounds for a variable offset: its bounds must be known and keep the
    /// access inside the 512 bytes; a privileged program may then read anything there (an unknown number) and write
    /// anywhere there (what was spilled in reach is forgotten).
    /// </summary>
    private bool VariableStackAccess(int pc, VerifierState state, FrameState frame, int register, RegisterValue pointer, long off, int size,
        AccessSource source, string verb, bool liveFrame, out RegisterValue value)
    {
        value = ScalarOfSize(size);
        var range = pointer.Range;
        if (range.SMax >= MaxVariableOffset || range.SMin <= -MaxVariableOffset)
        {
            return Reject(pc, $"invalid unbounded variable-offset {verb} stack R{register}");
        }

        long low = range.SMin + off;
        long high = range.SMax + off + size;
        if (low < -FrameState.StackSize || high > 0)
        {
            return Reject(pc, string.Create(CultureInfo.InvariantCulture,
                $"invalid variable-offset {verb} stack R{register} var_off={range.KnownBits} off={off} size={size}"));
        }

        if (liveFrame)
        {
            Proofs.InBounds(AccessRegions.Stack);
        }

        RecordStackDepth(frame.Function, low);
        int frameIndex = state.Frames.IndexOf(frame);
        NoteStackAccess(frameIndex, (int)low, (int)(high - low), write: false, spillOrFill: false);
        if (source != AccessSource.Read)
        {
            if (source == AccessSource.Write && !DestroyOverwrittenDynptrs(pc, state, frame, low, (int)(high - low)))
            {
                return false;
            }

            frame.Clobber((int)low, (int)(high - low));
        }

        return true;
    }

    /// <summary>
    /// check_atomic asks for strict alignment whatever the pointer (x86-64 is otherwise lax outside the stack): every
    /// offset the known bits allow must be a multiple of the size. It comes before the pointer kind's own checks.
    /// </summary>
    private bool CheckAtomicAlignment(int pc, RegisterValue target, int offset, int size)
    {
        if (target.Kind == ValueKind.Unknown || IsAlignedOffset(target, offset, size))
        {
            return true;
        }

        string kind = target.Kind switch { ValueKind.Stack => "stack ", ValueKind.MapValue => "value ", ValueKind.MapKey => "key ", _ => "" };
        return Reject(Misaligned(pc, kind, target, offset, size));
    }

    /// <summary>The pointer's fixed and variable offset plus <paramref name="offset"/> is a multiple of <paramref name="size"/> whatever the variable part is.</summary>
    private static bool IsAlignedOffset(RegisterValue pointer, int offset, int size) =>
        (pointer.Range.KnownBits + Tnum.Constant((ulong)(pointer.Offset + offset))).IsAligned((ulong)size);

    /// <summary>The kernel's "misaligned … access off VAR+FIXED+OFF size N"; a constant variable part prints as a number.</summary>
    private static Rejection Misaligned(int pc, string kind, RegisterValue pointer, int offset, int size)
    {
        string variable = pointer.Range.IsConstant
            ? ((long)pointer.Range.Value).ToString(CultureInfo.InvariantCulture)
            : pointer.Range.KnownBits.ToString();
        return new Rejection(pc, string.Create(CultureInfo.InvariantCulture, $"misaligned {kind}access off {variable}+{pointer.Offset}+{offset} size {size}"));
    }

    /// <summary>A scalar stored at an 8-byte stack boundary that it fits in whole: the stack keeps it as a register.</summary>
    private static bool SpillsWhole(RegisterValue target, int offset, int size, RegisterValue stored) =>
        target.Kind == ValueKind.Stack && target.HasConstantOffset && (target.Offset + (long)target.Range.Value + offset) % 8 == 0
        && (size == 8 || stored.Range.UMax < 1UL << (size * 8));

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
    private bool ContextAccess(int pc, int register, RegisterValue pointer, int offset, int size, AccessSource source, out RegisterValue value)
    {
        var layout = _input.Context;
        value = RegisterValue.Unmodelled;
        if (layout.DataOffset is null && layout.DataEndOffset is null && layout.Fields.IsDefaultOrEmpty)
        {
            // A context this verifier does not model (tracing arguments, BTF-typed pointers…): its fields may be pointers.
            return true;
        }

        if (pointer.Offset != 0 || !pointer.HasConstantOffset || !pointer.Range.IsConstant || pointer.Range.Value != 0)
        {
            return Reject(pc, $"dereference of modified ctx ptr R{register} off={pointer.Offset + (long)pointer.Range.SMin} disallowed");
        }

        if (source != AccessSource.Read && OverlapsPacketPointerField(layout, offset, size))
        {
            // Where the type lists no fields (lwt, sk_skb) stores were unchecked; data, data_end and data_meta are
            // never writable (the kernel's is_valid_access), and packet proofs rest on them.
            return Reject(_currentPc, $"invalid bpf_context access off={offset} size={size}");
        }

        if (!FieldAt(layout, offset, size, source != AccessSource.Read, out var field))
        {
            return false;
        }

        // A field the type allows lies inside its struct; with no field list only the struct's size bounds the access.
        if ((field is not null && layout.FieldsProveBounds) || (layout.Fields.IsDefaultOrEmpty && InsideRegion(offset, size, layout.Size)))
        {
            Proofs.InBounds(AccessRegions.Context);
        }

        if (source != AccessSource.Read)
        {
            value = RegisterValue.NotInit;
            return true;
        }

        if (field is { Socket: { } socket })
        {
            value = BorrowedSocket(socket);
            return true;
        }

        if (field is { HoldsUnmodelledPointer: true })
        {
            value = RegisterValue.Unmodelled;
            return true;
        }

        if (offset == layout.DataOffset)
        {
            value = RegisterValue.Pointer(ValueKind.Packet);
            return true;
        }

        if (offset == layout.DataEndOffset)
        {
            value = RegisterValue.Pointer(ValueKind.PacketEnd);
            return true;
        }

        if (offset == layout.DataMetaOffset)
        {
            value = RegisterValue.Pointer(ValueKind.PacketMeta);
            return true;
        }

        value = ScalarOfSize(size);
        return true;
    }

    private static bool OverlapsPacketPointerField(ContextLayout layout, int offset, int size)
    {
        foreach (var field in (ReadOnlySpan<int?>)[layout.DataOffset, layout.DataEndOffset, layout.DataMetaOffset])
        {
            if (field is { } at && offset < at + 4 && at < offset + size)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The context field that allows this access; a refusal names the access as the kernel's check_ctx_access does.</summary>
    private bool FieldAt(ContextLayout layout, int offset, int size, bool write, out ContextField? allowing)
    {
        allowing = null;
        if (layout.Fields.IsDefaultOrEmpty)
        {
            return true;
        }

        foreach (var field in layout.Fields)
        {
            if (field.Allows(offset, size, write))
            {
                allowing = field;
                return true;
            }
        }

        return Reject(_currentPc, $"invalid bpf_context access off={offset} size={size}");
    }

    private static int AccessBytes(byte opcode) => ((AccessSize)(opcode & 0x18)) switch
    {
        AccessSize.Byte => 1,
        AccessSize.Half => 2,
        AccessSize.Word => 4,
        _ => 8,
    };
}
