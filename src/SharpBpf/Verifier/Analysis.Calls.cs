using SharpBpf.Btf;
using SpecialField = SharpBpf.Btf.SpecialField;
using SpecialFieldKind = SharpBpf.Btf.SpecialFieldKind;
using SharpBpf.Helpers;
using SharpBpf.Helpers.BuiltIn;
using SharpBpf.Isa;
using SharpBpf.Maps;

namespace SharpBpf.Verifier;

internal sealed partial class Analysis
{
    private const int TimerSetCallback = 170, ForEachMapElem = 164, FindVma = 180, Loop = 181, SpinLock = 93, SpinUnlock = 94;

    /// <summary>What earlier arguments of a helper call established for later ones (the kernel's <c>bpf_call_arg_meta</c>).</summary>
    private sealed class CallMeta
    {
        public VerifierMap? Map;
        public int MapUid;
        public bool MapFromTimer;
        public int? Callback;
        public bool PacketAccess;
        public ulong? ConstantKey;
        public int AllocationSize;
        public int ReleasedReference;

        /// <summary>The largest value of the last ARG_CONST_SIZE(_OR_ZERO) argument (the kernel's msize_max_value).</summary>
        public ulong SizeMax;
    }

    private bool Exit(int pc, VerifierState state, out int? next)
    {
        next = null;
        var frame = state.Current;
        // Where a program or a timer callback ends, the kernel checks the lock and the references before R0
        // (check_resource_leak, then check_return_code); a subprogram's or bpf_loop callback's references stay with the path.
        if (state.Frames.Count == 1)
        {
            if (state.HoldsSpinLock)
            {
                return Reject(pc, "BPF_EXIT instruction in main prog cannot be used inside bpf_spin_lock-ed region");
            }

            if (!CheckReferenceLeak(pc, state, "BPF_EXIT instruction in main prog") || !CheckOpenSections(pc, state, "BPF_EXIT instruction in main prog"))
            {
                return false;
            }
        }

        // The kernel checks R0 where a program or a callback ends, not where a subprogram returns: clang drops the
        // constant return of a static function whose callers do not use it.
        if ((frame.Exit != FrameExit.ReturnToCaller || state.Frames.Count == 1) && !RequireInitialized(pc, state, 0))
        {
            return false;
        }

        var r0 = frame.Registers[0];
        if (frame.Exit != FrameExit.ReturnToCaller)
        {
            // The return range check relies on R0's value.
            MarkPrecise(state, 0);
        }

        switch (frame.Exit)
        {
            case FrameExit.AsyncCallback:
                return CheckReturnRange(pc, r0, "At async callback return", 0, 0);
            case FrameExit.SyncCallback:
                if (_callbackReturnRange.TryGetValue(frame.Function, out var range) && range is { } bounds)
                {
                    if (r0.Kind is not (ValueKind.Scalar or ValueKind.Unknown))
                    {
                        return Reject(pc, "R0 not a scalar value");
                    }

                    if (!CheckReturnRange(pc, r0, "At callback return", bounds.Min, bounds.Max))
                    {
                        return false;
                    }
                }

                next = ReturnFromCallback(state);
                return true;
        }

        if (state.Frames.Count == 1)
        {
            if (frame.Function != 0)
            {
                return CheckGlobalReturn(pc, r0);
            }

            return ProgramReturnCodes.RangeFor(_input.ProgramType, _input.ExpectedAttachType) is not { } programRange
                || CheckReturnRange(pc, r0, "At program exit", programRange.Min, programRange.Max);
        }

        if (r0.Kind == ValueKind.Stack)
        {
            // prepare_func_exit: even a pointer into a frame that stays alive is refused.
            return Reject(pc, "cannot return stack pointer to the caller");
        }

        state.Frames.RemoveAt(state.Frames.Count - 1);
        var caller = state.Current.Registers;
        caller[0] = r0;
        for (var r = 1; r <= 5; r++)
        {
            caller[r] = RegisterValue.NotInit;
        }

        next = frame.ReturnPc;
        return true;
    }

    /// <summary>The kernel's retval_range_within and verbose_invalid_scalar.</summary>
    private bool CheckReturnRange(int pc, RegisterValue r0, string context, long min, long max)
    {
        if (r0.Kind == ValueKind.Unknown)
        {
            return true;
        }

        if (!r0.IsScalar)
        {
            return Reject(pc, $"{context} the register R0 is not a known value ({r0.Kind.KernelName()})");
        }

        if (min <= r0.Range.SMin && r0.Range.SMax <= max)
        {
            return true;
        }

        var text = new System.Text.StringBuilder($"{context} the register R0 has");
        bool unknown = true;
        if (r0.Range.SMin > long.MinValue)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $" smin={r0.Range.SMin}");
            unknown = false;
        }

        if (r0.Range.SMax < long.MaxValue)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $" smax={r0.Range.SMax}");
            unknown = false;
        }

        if (unknown)
        {
            text.Append(" unknown scalar value");
        }

        text.Append(System.Globalization.CultureInfo.InvariantCulture, $" should have been in [{min}, {max}]");
        return Reject(pc, text.ToString());
    }

    private bool Call(int pc, Instruction insn, VerifierState state, out int? next)
    {
        next = pc + 1;
        // Static subprograms may run under the lock; helpers (but the unlock) and kfuncs may not.
        bool unlocks = insn.Src == (byte)CallSource.Helper && insn.Immediate == SpinUnlock;
        if (state.HoldsSpinLock && insn.Src != (byte)CallSource.Local && !unlocks)
        {
            return Reject(pc, "function calls are not allowed while holding a lock");
        }

        RecordCall(pc, insn, state);
        switch ((CallSource)insn.Src)
        {
            case CallSource.Local:
                return LocalCall(pc, insn, state, out next);
            case CallSource.Helper:
                if (!HelperCall(pc, insn.Immediate, state))
                {
                    return false;
                }

                if (PacketChangingHelpers.Contains(insn.Immediate))
                {
                    PacketChangingHelpers.Invalidate(state);
                }

                return true;
            case CallSource.Kfunc:
                return KfuncCall(pc, insn, state);
            default:
                ClobberCallerSaved(state, RegisterValue.Unmodelled);
                return true;
        }
    }

    private bool LocalCall(int pc, Instruction insn, VerifierState state, out int? next)
    {
        next = pc + 1;
        if (state.Frames.Count >= MaxCallFrames)
        {
            return Reject(pc, $"the call stack of {state.Frames.Count + 1} frames is too deep");
        }

        int target = pc + insn.Immediate + 1;
        if (GlobalPrototype(FunctionAt(target)) is { } prototype)
        {
            return GlobalCall(pc, FunctionAt(target), prototype, state);
        }

        var callee = new FrameState(FunctionAt(target), pc + 1, FrameExit.ReturnToCaller, callSite: pc);
        for (var r = 1; r <= 5; r++)
        {
            callee.Registers[r] = state.Registers[r];
        }

        callee.Registers[10] = RegisterValue.Pointer(ValueKind.Stack, frame: state.Frames.Count);
        state.Frames.Add(callee);
        next = target;
        return true;
    }

    private bool HelperCall(int pc, int id, VerifierState state)
    {
        if (!CheckHelperIsCallable(pc, id, state, out var info) || !SocketHelperCall(pc, id, state, out bool handled)
            || (!handled && !DynptrHelperCall(pc, id, state, out handled)))
        {
            return false;
        }

        if (handled)
        {
            return true;
        }

        if (!_input.Helpers.TryGetValue(id, out var signature))
        {
            if (!CheckFuncIpSupported(pc, id, _input.ProgramType) || !CheckTailCallLeak(pc, id, state))
            {
                return false;
            }

            ClobberCallerSaved(state, RegisterValue.Unmodelled);
            return true;
        }

        var meta = new CallMeta { PacketAccess = info?.PacketAccess ?? true };
        var arguments = signature.Arguments;
        for (var i = 0; i < arguments.Length; i++)
        {
            int register = i + 1;
            if (!RequireInitialized(pc, state, register) || !CheckArgumentProving(pc, state, register, arguments, i, meta))
            {
                return false;
            }
        }

        if (!CheckReadOnlyMapWrite(pc, id, meta.Map) || !CheckSnprintfFormat(pc, id, state)
            || !CheckFuncIpSupported(pc, id, _input.ProgramType))
        {
            return false;
        }

        if (id == SpinLock)
        {
            // A second lock while holding one never gets here: Call refuses every helper but the unlock.
            state.HoldsSpinLock = true;
            state.SpinLockId = state.Registers[1].Id;
            state.SpinLockMap = state.Registers[1].Map;
        }
        else if (id == SpinUnlock)
        {
            if (!state.HoldsSpinLock)
            {
                return Reject(pc, "bpf_spin_unlock without taking a lock");
            }

            if (state.Registers[1].Id != state.SpinLockId || !ReferenceEquals(state.Registers[1].Map, state.SpinLockMap))
            {
                return Reject(pc, "bpf_spin_unlock of different lock");
            }

            state.SpinLockId = 0;
            state.SpinLockMap = null;

            state.HoldsSpinLock = false;
        }

        if (meta.ReleasedReference != 0 && !ReleaseRecord(pc, id, state, meta.ReleasedReference))
        {
            return false;
        }

        if (!CheckTailCallLeak(pc, id, state))
        {
            return false;
        }

        if (meta.Callback is { } callback && !ScheduleCallback(pc, id, callback, state, meta))
        {
            return false;
        }

        if (!CheckMapFunctionCompatibility(pc, id, meta.Map))
        {
            return false;
        }

        var result = signature.Returns switch
        {
            HelperReturnKind.Integer => RegisterValue.UnknownScalar,
            HelperReturnKind.Void => RegisterValue.NotInit,
            HelperReturnKind.MapValueOrNull when meta.Map is { Type: MapType.ArrayOfMaps or MapType.HashOfMaps, InnerMap: { } inner } =>
                InnerMapPointer(inner, NewId()),
            HelperReturnKind.MapValueOrNull when meta.Map is { Type: MapType.ArrayOfMaps or MapType.HashOfMaps } => RegisterValue.Unmodelled,
            // A socket map's lookup hands out the socket itself, with a reference the program must release.
            HelperReturnKind.MapValueOrNull when id == (int)HelperId.MapLookupElem && meta.Map is { Type: MapType.Sockmap or MapType.Sockhash } =>
                AcquireSocket(pc, state, ValueKind.SocketOrNull),
            // An array lookup with a constant key inside the array cannot fail: the kernel drops PTR_MAYBE_NULL.
            HelperReturnKind.MapValueOrNull when id == (int)HelperId.MapLookupElem && meta.Map is { MaxEntries: > 0 } array
                && meta.ConstantKey is { } key && key < (ulong)array.MaxEntries =>
                RegisterValue.Pointer(ValueKind.MapValue, map: array, mapUid: meta.MapUid,
                    id: array.OffsetOf(SpecialFieldKind.SpinLock) is null ? 0 : NewId()),
            HelperReturnKind.MapValueOrNull when meta.Map is not null =>
                RegisterValue.Pointer(ValueKind.MapValueOrNull, map: meta.Map, mapUid: meta.MapUid, id: NewId()),
            HelperReturnKind.RingbufMemoryOrNull => ReserveRecord(pc, state, meta.AllocationSize),
            _ => RegisterValue.Unmodelled,
        };
        ClobberCallerSaved(state, RefineReturnRange(id, result, meta));
        return true;
    }

    /// <summary>A tail call never returns to release what the path holds (checked after its arguments, as the kernel does).</summary>
    private bool CheckTailCallLeak(int pc, int id, VerifierState state)
    {
        if (id == (int)HelperId.TailCall)
        {
            return CheckReferenceLeak(pc, state, "tail_call") && CheckOpenSections(pc, state, "tail_call");
        }

        return true;
    }

    // The kernel names an inner-map instance by the id of the lookup that produced it (map_uid = id).
    private static RegisterValue InnerMapPointer(VerifierMap inner, int id) =>
        RegisterValue.Pointer(ValueKind.MapPointerOrNull, map: inner, mapUid: id, id: id);

    private static void ClobberCallerSaved(VerifierState state, RegisterValue result)
    {
        var regs = state.Registers;
        regs[0] = result;
        for (var r = 1; r <= 5; r++)
        {
            regs[r] = RegisterValue.NotInit;
        }
    }

    private bool CheckArgument(int pc, VerifierState state, int register, System.Collections.Immutable.ImmutableArray<HelperArgument> arguments, int index, CallMeta meta)
    {
        var value = state.Registers[register];
        if (value.Kind == ValueKind.Unknown)
        {
            return true;
        }

        var argument = arguments[index];
        if (value.Kind is ValueKind.Packet or ValueKind.PacketMeta && argument.Kind != HelperArgKind.Anything && !meta.PacketAccess)
        {
            return Reject(pc, "helper access to the packet is not allowed");
        }

        switch (argument.Kind)
        {
            case HelperArgKind.ConstMapPointer:
                if (!RequireKind(pc, register, value, ValueKind.MapPointer, "map_ptr"))
                {
                    return false;
                }

                if (meta.MapFromTimer && (!ReferenceEquals(meta.Map, value.Map) || meta.MapUid != value.MapUid))
                {
                    return Reject(pc, $"timer pointer in R1 map_uid={meta.MapUid} doesn't match map pointer in R2 map_uid={value.MapUid}");
                }

                meta.Map = value.Map;
                meta.MapUid = value.MapUid;
                break;
            case HelperArgKind.Context:
                return RequireKind(pc, register, value, ValueKind.Context, "ctx");
            case HelperArgKind.StackOrNull when !(value.IsScalar && value.Range == ScalarRange.Zero):
                // The callback context of bpf_loop / for_each_map_elem: the caller's stack, or NULL.
                return RequireKind(pc, register, value, ValueKind.Stack, "fp");
            case HelperArgKind.CallbackFunction:
                if (!RequireKind(pc, register, value, ValueKind.Function, "func"))
                {
                    return false;
                }

                meta.Callback = value.Subprogram;
                break;
            case HelperArgKind.Timer:
                return CheckTimerArgument(pc, register, value, meta);
            case HelperArgKind.SpinLock:
                return CheckMapFieldPointer(pc, register, value, SpecialFieldKind.SpinLock);
            case HelperArgKind.ConstAllocSizeOrZero:
                if (!ConstantAllocationSize(pc, state, register, out meta.AllocationSize))
                {
                    return false;
                }

                // The record's size, and so every later bounds check on it, relies on the value.
                MarkPrecise(state, register);
                break;
            case HelperArgKind.RingbufMemory:
                return CheckReleasedRecord(pc, register, value, meta);
            case HelperArgKind.ConstString:
                // check_reg_const_str, in its order: a map value of a read-only map (.rodata), at a constant offset.
                // The format itself (bpf_snprintf's "Invalid format string") is checked with the call (CheckSnprintfFormat).
                if (!RequireKind(pc, register, value, ValueKind.MapValue, "map_value"))
                {
                    return false;
                }

                if (value.Map is { IsReadOnly: false })
                {
                    return Reject(pc, $"R{register} does not point to a readonly map'");
                }

                if (!value.HasConstantOffset)
                {
                    return Reject(pc, $"R{register} is not a constant address'");
                }

                break;
            case HelperArgKind.MapKey when meta.Map is not null:
                if (!CheckKeyOfKeylessMap(pc, value, meta.Map))
                {
                    return false;
                }

                // Before the memory check, which forgets the stack slots a helper touches.
                meta.ConstantKey = ConstantArrayKey(state, value, meta.Map);
                if (meta.ConstantKey is not null)
                {
                    // The lookup's non-NULL result relies on the key's value.
                    MarkPreciseSlot(state, Math.Min(value.Frame, state.CurrentFrameIndex), (int)(value.Offset + (long)value.Range.Value));
                }

                return CheckHelperMemory(pc, state, register, value, meta.Map.KeySize, write: false);
            case HelperArgKind.MapValue when meta.Map is not null:
                return CheckHelperMemory(pc, state, register, value, meta.Map.ValueSize, write: false);
            case HelperArgKind.UninitMapValue when meta.Map is not null:
                return CheckHelperMemory(pc, state, register, value, meta.Map.ValueSize, write: true);
            case HelperArgKind.ReadableMemory or HelperArgKind.ReadableMemoryOrNull
                or HelperArgKind.WritableMemory or HelperArgKind.WritableMemoryOrNull:
                if (value.IsScalar && argument.Kind is HelperArgKind.ReadableMemoryOrNull or HelperArgKind.WritableMemoryOrNull)
                {
                    break;
                }

                int? size = argument.FixedSize;
                if (argument.FixedSize <= 0 && !SizeArgument(pc, state, register + 1, arguments, index + 1, meta, out size))
                {
                    return false;
                }

                if (size is { } bytes)
                {
                    bool write = argument.Kind is HelperArgKind.WritableMemory or HelperArgKind.WritableMemoryOrNull;
                    return CheckHelperMemory(pc, state, register, value, bytes, write);
                }

                break;
        }

        return true;
    }

    private bool SizeArgument(int pc, VerifierState state, int register, System.Collections.Immutable.ImmutableArray<HelperArgument> arguments, int index,
        CallMeta meta, out int? size)
    {
        size = null;
        if (index >= arguments.Length || arguments[index].Kind is not (HelperArgKind.ConstSize or HelperArgKind.ConstSizeOrZero))
        {
            return true;
        }

        if (state.Registers[register].Kind == ValueKind.Unknown)
        {
            return true;
        }

        if (!RequireInitialized(pc, state, register)
            || !CheckSizeRegister(pc, state, register, zeroAllowed: arguments[index].Kind == HelperArgKind.ConstSizeOrZero, out ulong bytes))
        {
            return false;
        }

        size = (int)bytes;
        meta.SizeMax = bytes;
        MarkPrecise(state, register);
        return true;
    }

    /// <summary>
    /// record_func_map: a map the program may only read (BPF_F_RDONLY_PROG, .rodata) refuses the helpers that change
    /// it, after their arguments.
    /// </summary>
    private bool CheckReadOnlyMapWrite(int pc, int id, VerifierMap? map)
    {
        if (map is { IsReadOnly: true } && (HelperId)id is HelperId.MapUpdateElem or HelperId.MapDeleteElem or HelperId.MapPushElem
                or HelperId.MapPopElem)
        {
            return Reject(pc, "write into map forbidden");
        }

        return true;
    }

    /// <summary>
    /// check_bpf_snprintf_call: the constant format (R3, already a read-only map value at a constant offset) must parse
    /// with the arguments R5's byte count gives. An argument size whose known bits are not a multiple of 8 the kernel
    /// refuses first, without a message of its own: its log ends with the call's instruction line, which is then the
    /// reason, and the instruction line before it (the one walked before the call) is the instruction the log names.
    /// </summary>
    private bool CheckSnprintfFormat(int pc, int id, VerifierState state)
    {
        var format = state.Registers[3];
        var dataLength = state.Registers[5];
        if ((HelperId)id == HelperId.Snprintf && dataLength.IsScalar && dataLength.Range.KnownBits.Value % 8 != 0)
        {
            return Reject(_previousPc, $"{pc}: {Format(pc)}");
        }

        if ((HelperId)id != HelperId.Snprintf || format.Kind != ValueKind.MapValue || format.Map is not { InitialData.IsDefaultOrEmpty: false } map
            || !format.HasConstantOffset || !dataLength.IsScalar || !dataLength.Range.IsConstant || dataLength.Range.Value % 8 != 0)
        {
            return true;
        }

        long at = format.Offset + (long)format.Range.Value;
        if (at < 0 || at >= map.InitialData.Length)
        {
            return true;
        }

        var bytes = map.InitialData.AsSpan()[(int)at..];
        int end = bytes.IndexOf((byte)0);
        if (end >= 0 && !BpfPrintf.IsValidFormat(bytes[..end], (int)(dataLength.Range.Value / 8)))
        {
            return Reject(pc, "Invalid format string");
        }

        return true;
    }

    /// <summary>
    /// do_refine_retval_range: the string-reading helpers return a negative errno or at most the buffer's size, so a
    /// length they return indexes the buffer after one upper-bound check less (measured: Data/generated rt_probe_read_str_*).
    /// </summary>
    private static RegisterValue RefineReturnRange(int id, RegisterValue result, CallMeta meta)
    {
        if ((HelperId)id is not (HelperId.ProbeReadStr or HelperId.ProbeReadKernelStr or HelperId.ProbeReadUserStr) || !result.IsScalar)
        {
            return result;
        }

        const long maxErrno = 4095;
        return RegisterValue.Scalar(ScalarRange.Signed(-maxErrno, (long)meta.SizeMax));
    }

    private bool RequireKind(int pc, int register, RegisterValue value, ValueKind kind, string expected)
    {
        if (value.Kind != kind)
        {
            return Reject(pc, $"R{register} type={value.Kind.KernelName()} expected={expected}");
        }

        return true;
    }

    /// <summary>ARG_PTR_TO_TIMER: the map's bpf_timer (R37–R40); the call then knows the timer's map.</summary>
    private bool CheckTimerArgument(int pc, int register, RegisterValue value, CallMeta meta)
    {
        if (!CheckMapFieldPointer(pc, register, value, SpecialFieldKind.Timer))
        {
            return false;
        }

        meta.Map = value.Map;
        meta.MapUid = value.MapUid;
        meta.MapFromTimer = true;
        return true;
    }

    /// <summary>
    /// A helper argument that must point exactly at one special field of a map value (the kernel's
    /// check_map_field_pointer, which bpf_timer and bpf_spin_lock arguments share): a map value pointer at a constant
    /// offset, into a map with BTF that has that field, at the field's offset. The checks and words are in its order.
    /// </summary>
    private bool CheckMapFieldPointer(int pc, int register, RegisterValue value, SpecialFieldKind field)
    {
        // ARG_PTR_TO_SPIN_LOCK also takes an allocated object (PTR_TO_BTF_ID | MEM_ALLOC), which check_reg_type lists.
        if (!RequireKind(pc, register, value, ValueKind.MapValue, field == SpecialFieldKind.SpinLock ? "map_value, ptr_" : "map_value"))
        {
            return false;
        }

        var map = value.Map!;
        var structName = field switch
        {
            SpecialFieldKind.Timer => "bpf_timer",
            SpecialFieldKind.SpinLock => "bpf_spin_lock",
            SpecialFieldKind.Workqueue => "bpf_wq",
            _ => throw new ArgumentOutOfRangeException(nameof(field), field, "not a helper argument field"),
        };
        if (!value.HasConstantOffset)
        {
            return Reject(pc, $"R{register} doesn't have constant offset. {structName} has to be at the constant offset");
        }

        if (!map.HasBtf)
        {
            return Reject(pc, $"map '{map.Name}' has to have BTF in order to use {structName}");
        }

        if (map.OffsetOf(field) is not { } fieldOffset)
        {
            return Reject(pc, $"map '{map.Name}' has no valid {structName}");
        }

        long at = value.Offset + (long)value.Range.Value;
        if (at != fieldOffset)
        {
            return Reject(pc, $"off {at} doesn't point to 'struct {structName}' that is at {fieldOffset}");
        }

        return true;
    }

    /// <summary>A helper reads or writes <paramref name="size"/> bytes at the pointer (check_helper_mem_access).</summary>
    private bool CheckHelperMemory(int pc, VerifierState state, int register, RegisterValue value, int size, bool write)
    {
        switch (value.Kind)
        {
            case ValueKind.Scalar:
                // check_reg_type: a number (NULL included, where the argument may not be NULL) is not memory; this
                // comes before the map-type checks at the end of the call (measured: a NULL key for a queue update).
                return Reject(pc, $"R{register} type=scalar expected={HelperMemoryTypes}");
            case ValueKind.Context:
                // check_reg_type: the context is never helper memory. A helper writing it could move xdp_md.data_end
                // under a packet access the verifier proved against it.
                return Reject(pc, $"R{register} type=ctx expected={HelperMemoryTypes}");
            case ValueKind.Stack:
                if (!StackAccess(pc, state, register, value, 0, Math.Max(size, 1), AccessSource.Helper, stored: null, out _, helperWrites: write))
                {
                    return false;
                }

                if (write && value.HasConstantOffset)
                {
                    var frame = state.Frames[Math.Min(value.Frame, state.CurrentFrameIndex)];
                    frame.Clobber((int)(value.Offset + (long)value.Range.Value), size);
                }

                break;
            case ValueKind.MapValue when size > 0:
                return CheckMapValueAccess(pc, register, value, 0, size, write ? AccessSource.Write : AccessSource.Helper, out bool valueProven)
                    && ArgumentInBounds(valueProven, AccessRegions.MapValue);
            case ValueKind.MapKey when size > 0:
                // A callback's key is read-only memory: only a read is proven.
                return CheckRegion(pc, register, value, 0, size, value.Map?.KeySize, "map key, key_size", out bool keyProven)
                    && ArgumentInBounds(keyProven && !write, AccessRegions.MapKey);
            case ValueKind.RingbufMemory when size > 0:
                return CheckRegion(pc, register, value, 0, size, value.MemorySize, "memory, mem_size", out bool recordProven)
                    && ArgumentInBounds(recordProven, AccessRegions.RingbufRecord);
            case ValueKind.DynptrMemory when size > 0:
                // A dynptr slice is never proven (docs/verifier.md): its argument keeps the helper's check.
                return CheckRegion(pc, register, value, 0, size, value.MemorySize, "memory, mem_size", out _);
            case ValueKind.Packet or ValueKind.PacketMeta when size > 0:
                // check_packet_access over the bytes the helper touches (only helpers with pkt_access get here). Proven
                // only on a real packet, and for a write only where the type may write the packet.
                return CheckPacketAccess(pc, register, value, 0, size)
                    && ArgumentInBounds(_input.Context.RunsOnPacket && (!write || _input.Context.PacketWritable),
                        value.Kind == ValueKind.Packet ? AccessRegions.Packet : AccessRegions.PacketMeta);
        }

        return true;
    }

    /// <summary>The map types whose ops have map_for_each_callback (the hash and array families).</summary>
    private static bool IteratesWithCallback(MapType type) => type is MapType.Hash or MapType.PercpuHash or MapType.LruHash
        or MapType.LruPercpuHash or MapType.Array or MapType.PercpuArray;

    /// <summary>
    /// The compatible register types of ARG_PTR_TO_MEM and, in 6.18, of ARG_PTR_TO_MAP_KEY / ARG_PTR_TO_MAP_VALUE too
    /// (mem_types), as check_reg_type lists them (measured: a map key or value given the context prints this list).
    /// </summary>
    private const string HelperMemoryTypes = "fp, pkt, pkt_meta, map_key, map_value, mem, ringbuf_mem, buf, trusted_ptr_";

    /// <summary>
    /// A callback handed to a helper is verified as the kernel does: a timer callback as its own root with
    /// (map, key, value) in R1–R3 and 0 required at exit; bpf_loop and for_each_map_elem callbacks on top of the
    /// caller's frames, returning 0 or 1.
    /// </summary>
    private bool ScheduleCallback(int pc, int helper, int function, VerifierState state, CallMeta meta)
    {
        int start = _functionStarts[function];
        if (helper == TimerSetCallback && meta.Map is { } timerMap)
        {
            _asyncCallbacks.Add(function);
            var frame = new FrameState(function, -1, FrameExit.AsyncCallback);
            frame.Registers[1] = RegisterValue.Pointer(ValueKind.MapPointer, map: timerMap, mapUid: meta.MapUid);
            frame.Registers[2] = RegisterValue.Pointer(ValueKind.MapKey, map: timerMap, mapUid: meta.MapUid);
            frame.Registers[3] = RegisterValue.Pointer(ValueKind.MapValue, map: timerMap, mapUid: meta.MapUid);
            frame.Registers[10] = RegisterValue.Pointer(ValueKind.Stack, frame: 0);
            return PushPath(start, new VerifierState(frame, inAsyncCallback: true) { AsyncEntries = state.AsyncEntries + 1 }, newRoot: true);
        }

        if (state.Frames.Count >= MaxCallFrames)
        {
            return Reject(pc, $"the call stack of {state.Frames.Count + 1} frames is too deep");
        }

        var callbackState = state.Clone();
        callbackState.CallbackRuns++;
        var regs = state.Registers;
        var callee = new FrameState(function, -1, FrameExit.SyncCallback, callSite: pc);
        switch (helper)
        {
            case Loop:
                callee.Registers[1] = RegisterValue.Scalar(ScalarRange.Bits(32));
                callee.Registers[2] = regs[3];
                _callbackReturnRange[function] = (0, 1);
                break;
            case ForEachMapElem when meta.Map is { } map && !IteratesWithCallback(map.Type):
                return Reject(pc, "callback function not allowed for map");
            case ForEachMapElem when meta.Map is { } map:
                callee.Registers[1] = RegisterValue.Pointer(ValueKind.MapPointer, map: map, mapUid: meta.MapUid);
                callee.Registers[2] = RegisterValue.Pointer(ValueKind.MapKey, map: map, mapUid: meta.MapUid);
                callee.Registers[3] = RegisterValue.Pointer(ValueKind.MapValue, map: map, mapUid: meta.MapUid);
                callee.Registers[4] = regs[3];
                _callbackReturnRange[function] = (0, 1);
                break;
            case FindVma:
                // set_find_vma_callback_state: the task and the vma are kernel pointers SharpBpf does not model; the
                // callback's data is the caller's R4; R4 and R5 are not set.
                callee.Registers[1] = RegisterValue.Unmodelled;
                callee.Registers[2] = RegisterValue.Unmodelled;
                callee.Registers[3] = regs[4];
                _callbackReturnRange[function] = (0, 1);
                break;
            default:
                for (var r = 1; r <= 5; r++)
                {
                    callee.Registers[r] = RegisterValue.Unmodelled;
                }

                _callbackReturnRange.TryAdd(function, null);
                break;
        }

        callee.Registers[10] = RegisterValue.Pointer(ValueKind.Stack, frame: callbackState.Frames.Count);
        callbackState.Frames.Add(callee);
        return PushPath(start, callbackState);
    }
}
