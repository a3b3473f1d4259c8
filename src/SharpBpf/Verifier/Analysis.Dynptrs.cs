using System.Collections.Immutable;
using System.Globalization;
using SharpBpf.Helpers;
using static SharpBpf.Helpers.HelperArgKind;

namespace SharpBpf.Verifier;

/// <summary>
/// Dynamic pointers (struct bpf_dynptr), as Linux 6.18 verifies them:
/// <list type="bullet">
/// <item>a dynptr is 16 bytes of the program's stack at a constant, 8-aligned offset (the kernel's STACK_DYNPTR slots),
/// kept as one 16-byte spill of kind <see cref="ValueKind.DynptrLocal"/> (bpf_dynptr_from_mem over a map value) or
/// <see cref="ValueKind.DynptrRingbuf"/> (bpf_ringbuf_reserve_dynptr, holding a reference until
/// bpf_ringbuf_submit_dynptr / bpf_ringbuf_discard_dynptr);</item>
/// <item>its bytes are not data: a load from them is refused, a helper may neither read nor write them, a store over a
/// ring buffer dynptr is refused and a store over a local one destroys it (and its slices);</item>
/// <item>bpf_dynptr_data returns <c>mem_or_null</c> of its constant length, sharing the dynptr's id and reference: the
/// slice dies with the dynptr. Its accesses are bounds-checked against that length, never proven (the memory is the
/// dynptr's, and the offset is only checked at run time by the helper).</item>
/// </list>
/// A global function's <c>struct bpf_dynptr *</c> argument is checked at the call (an initialized dynptr); inside the
/// function it is not modelled (the kernel's CONST_PTR_TO_DYNPTR).
/// </summary>
internal sealed partial class Analysis
{
    private const int DynptrBytes = 16;

    /// <summary>How a helper argument uses its dynptr (the kernel's MEM_UNINIT, MEM_RDONLY / none, OBJ_RELEASE).</summary>
    private enum DynptrUse
    {
        Initializes,
        Reads,
        Releases,
    }

    /// <summary>The dynptr helpers: their other arguments as ordinary helper arguments, the dynptr one at its index.</summary>
    private static readonly Dictionary<HelperId, (ImmutableArray<HelperArgument> Arguments, int DynptrIndex, DynptrUse Use)> DynptrHelperArguments = new()
    {
        [HelperId.DynptrFromMem] = ([WritableMemory, ConstSizeOrZero, Anything, Anything], 3, DynptrUse.Initializes),
        [HelperId.RingbufReserveDynptr] = ([ConstMapPointer, Anything, Anything, Anything], 3, DynptrUse.Initializes),
        [HelperId.RingbufSubmitDynptr] = ([Anything, Anything], 0, DynptrUse.Releases),
        [HelperId.RingbufDiscardDynptr] = ([Anything, Anything], 0, DynptrUse.Releases),
        [HelperId.DynptrRead] = ([WritableMemory, ConstSizeOrZero, Anything, Anything, Anything], 2, DynptrUse.Reads),
        [HelperId.DynptrWrite] = ([Anything, Anything, ReadableMemory, ConstSizeOrZero, Anything], 0, DynptrUse.Reads),
        [HelperId.DynptrData] = ([Anything, Anything, ConstAllocSizeOrZero], 0, DynptrUse.Reads),
    };

    /// <summary>Verifies a call of a dynptr helper (handled: it was one), in the kernel's order: arguments, then the call's own rules.</summary>
    private bool DynptrHelperCall(int pc, int id, VerifierState state, out bool handled)
    {
        handled = DynptrHelperArguments.TryGetValue((HelperId)id, out var helper);
        if (!handled)
        {
            return true;
        }

        var meta = new CallMeta { PacketAccess = false };
        RegisterValue dynptr = RegisterValue.Unmodelled;
        for (var i = 0; i < helper.Arguments.Length; i++)
        {
            int register = i + 1;
            if (!RequireInitialized(pc, state, register))
            {
                return false;
            }

            bool passed = i == helper.DynptrIndex
                ? CheckDynptrArgument(pc, state, register, helper.Use, out dynptr)
                : CheckArgument(pc, state, register, helper.Arguments, i, meta);
            if (!passed)
            {
                return false;
            }
        }

        var result = RegisterValue.UnknownScalar;
        switch ((HelperId)id)
        {
            case HelperId.DynptrFromMem when state.Registers[1].Kind is not (ValueKind.MapValue or ValueKind.Unknown):
                // check_helper_call: a local dynptr may only wrap a map value in Linux 6.18.
                return Reject(pc, $"Unsupported reg type {state.Registers[1].Kind.KernelName()} for bpf_dynptr_from_mem data");
            case HelperId.DynptrFromMem or HelperId.RingbufReserveDynptr:
                if (!CheckMapFunctionCompatibility(pc, id, meta.Map))
                {
                    return false;
                }

                InitializeDynptr(pc, state, state.Registers[4], (HelperId)id == HelperId.RingbufReserveDynptr);
                break;
            case HelperId.RingbufSubmitDynptr or HelperId.RingbufDiscardDynptr:
                // The dynptr's slots become invalid bytes (STACK_INVALID), then the reference and its slices go. An
                // unmodelled pointer (a global function's dynptr argument) releases nothing the verifier knows of.
                if (dynptr.ReferenceId != 0)
                {
                    RemoveDynptr(state, dynptr.ReferenceId);
                    if (!ReleaseRecord(pc, id, state, dynptr.ReferenceId))
                    {
                        return false;
                    }
                }

                result = RegisterValue.NotInit;
                break;
            case HelperId.DynptrData:
                result = dynptr.Kind.IsDynptr()
                    ? new RegisterValue(ValueKind.DynptrMemoryOrNull, ScalarRange.Zero, Id: NewId(), ReferenceId: dynptr.ReferenceId,
                        MemorySize: meta.AllocationSize, DynptrId: dynptr.DynptrId)
                    : RegisterValue.Unmodelled;
                break;
        }

        ClobberCallerSaved(state, result);
        return true;
    }

    /// <summary>
    /// ARG_PTR_TO_DYNPTR (process_dynptr_func and, for a release, check_func_arg's unacquired-reference check): a stack
    /// pointer at a constant, 8-aligned offset; an initialized dynptr there for reads and releases (a referenced one for
    /// releases), any bytes but a referenced dynptr's for initialization. <paramref name="dynptr"/> is the spill found.
    /// </summary>
    private bool CheckDynptrArgument(int pc, VerifierState state, int register, DynptrUse use, out RegisterValue dynptr)
    {
        dynptr = RegisterValue.Unmodelled;
        var pointer = state.Registers[register];
        if (pointer.Kind == ValueKind.Unknown)
        {
            return true;
        }

        if (pointer.Kind != ValueKind.Stack)
        {
            return Reject(pc, $"R{register} type={pointer.Kind.KernelName()} expected=fp, dynptr_ptr");
        }

        int frameIndex = Math.Min(pointer.Frame, state.CurrentFrameIndex);
        var frame = state.Frames[frameIndex];
        long at = pointer.Offset + (long)pointer.Range.Value;
        string? misplaced = !pointer.HasConstantOffset ? "dynptr has to be at a constant offset"
            : at % 8 != 0 ? string.Create(CultureInfo.InvariantCulture, $"cannot pass in dynptr at an offset={at}")
            : null;
        bool initialized = misplaced is null && frame.Spills.TryGetValue((int)at, out var spill) && spill.Value.Kind.IsDynptr();
        if (initialized)
        {
            dynptr = frame.Spills[(int)at].Value;
        }

        switch (use)
        {
            case DynptrUse.Releases when !initialized || dynptr.ReferenceId == 0:
                return Reject(pc, $"arg {register} is an unacquired reference", misplaced);
            case DynptrUse.Reads or DynptrUse.Releases:
                if (!initialized)
                {
                    return Reject(pc, $"Expected an initialized dynptr as arg #{register - 1}", misplaced);
                }

                NoteStackAccess(frameIndex, (int)at, DynptrBytes, write: false, spillOrFill: false);
                return true;
            default:
                if (misplaced is not null)
                {
                    return Reject(pc, "Dynptr has to be an uninitialized dynptr", misplaced);
                }

                // The kernel writes the dynptr 8 bytes at a time (check_mem_access), over whatever was there.
                for (var half = 0; half < DynptrBytes; half += 8)
                {
                    if (!StackAccess(pc, state, register, pointer, half, 8, AccessSource.Write, stored: null, out _))
                    {
                        return false;
                    }
                }

                return true;
        }
    }

    /// <summary>mark_stack_slots_dynptr: the 16 bytes R4 points at become a dynptr, a ring buffer one with a new reference.</summary>
    private void InitializeDynptr(int pc, VerifierState state, RegisterValue pointer, bool ringbuf)
    {
        if (pointer.Kind != ValueKind.Stack)
        {
            return;
        }

        var frame = state.Frames[Math.Min(pointer.Frame, state.CurrentFrameIndex)];
        int at = (int)(pointer.Offset + (long)pointer.Range.Value);
        int id = NewId();
        int reference = 0;
        if (ringbuf)
        {
            reference = NewId();
            state.References = state.References.Add(new AcquiredReference(reference, pc));
        }

        frame.Clobber(at, DynptrBytes);
        frame.Spills[at] = (new RegisterValue(ringbuf ? ValueKind.DynptrRingbuf : ValueKind.DynptrLocal, ScalarRange.Zero,
            ReferenceId: reference, DynptrId: id), DynptrBytes);
    }

    private static void RemoveDynptr(VerifierState state, int referenceId)
    {
        foreach (var frame in state.Frames)
        {
            foreach (var at in frame.Spills.Where(s => s.Value.Value.Kind.IsDynptr() && s.Value.Value.ReferenceId == referenceId).Select(s => s.Key).ToArray())
            {
                frame.Spills.Remove(at);
            }
        }
    }

    /// <summary>
    /// destroy_if_dynptr_stack_slot, for a program's store of <paramref name="size"/> bytes at <paramref name="at"/>:
    /// a ring buffer dynptr may not be overwritten; a local one is destroyed with its slices.
    /// </summary>
    private bool DestroyOverwrittenDynptrs(int pc, VerifierState state, FrameState frame, long at, int size)
    {
        foreach (var (spilledAt, spilled) in frame.Spills.ToArray())
        {
            if (!spilled.Value.Kind.IsDynptr() || spilledAt >= at + size || at >= spilledAt + spilled.Size)
            {
                continue;
            }

            if (spilled.Value.ReferenceId != 0)
            {
                return Reject(pc, "cannot overwrite referenced dynptr");
            }

            frame.Spills.Remove(spilledAt);
            int id = spilled.Value.DynptrId;
            state.Update(value => value.DynptrId == id && value.Kind is ValueKind.DynptrMemory or ValueKind.DynptrMemoryOrNull
                ? RegisterValue.UnknownScalar : value);
        }

        return true;
    }

    /// <summary>check_stack_range_initialized in raw mode: a helper may not write over a dynptr's bytes.</summary>
    private bool CheckHelperWriteMissesDynptr(int pc, FrameState frame, long at, int size)
    {
        foreach (var (spilledAt, spilled) in frame.Spills)
        {
            if (spilled.Value.Kind.IsDynptr() && spilledAt < at + size && at < spilledAt + spilled.Size)
            {
                return Reject(pc, string.Create(CultureInfo.InvariantCulture, $"potential write to dynptr at off={Math.Max(at, spilledAt)} disallowed"));
            }
        }

        return true;
    }

    /// <summary>A load or store through a bpf_dynptr_data slice: inside its constant length, never proven.</summary>
    private bool DynptrSliceAccess(int pc, int register, RegisterValue pointer, int offset, int size, AccessSource source, out RegisterValue value)
    {
        value = source == AccessSource.Read ? ScalarOfSize(size) : RegisterValue.NotInit;
        return CheckRegion(pc, register, pointer, offset, size, pointer.MemorySize, "memory, mem_size", out _);
    }
}
