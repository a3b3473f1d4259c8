using System.Globalization;
using SharpBpf.Helpers;

namespace SharpBpf.Verifier;

/// <summary>
/// Reference tracking for ring buffer records, as Linux 6.18 does it: bpf_ringbuf_reserve acquires a reference
/// (recorded in the state, carried by every copy of the record as its ref_obj_id); a NULL check drops it on the NULL
/// side; bpf_ringbuf_submit / bpf_ringbuf_discard release it and turn every copy into a number. The program (or a
/// timer callback) may not end, nor tail-call, while it holds one.
/// </summary>
internal sealed partial class Analysis
{
    /// <summary>ARG_CONST_ALLOC_SIZE_OR_ZERO: the reservation's size must be known exactly, and the result relies on it.</summary>
    private bool ConstantAllocationSize(int pc, VerifierState state, int register, out int bytes)
    {
        var size = state.Registers[register];
        bytes = (int)size.Range.Value;
        if (!size.IsScalar || !size.Range.IsConstant)
        {
            // The kernel's message has the stray quote.
            return Reject(pc, $"R{register} is not a known constant'");
        }

        return true;
    }

    /// <summary>
    /// ARG_PTR_TO_RINGBUF_MEM | OBJ_RELEASE, in the kernel's order: the type (check_reg_type), then the offset a release
    /// function needs (check_func_arg_reg_off: the record itself, not a field of it).
    /// </summary>
    private bool CheckReleasedRecord(int pc, int register, RegisterValue value, CallMeta meta)
    {
        if (!RequireKind(pc, register, value, ValueKind.RingbufMemory, "ringbuf_mem"))
        {
            return false;
        }

        if (value.Offset != 0)
        {
            return Reject(pc, $"R{register} must have zero offset when passed to release func or trusted arg to kfunc");
        }

        if (!value.Range.IsConstant || value.Range.Value != 0)
        {
            return Reject(pc, $"variable ringbuf_mem access var_off={value.Range.KnownBits} disallowed");
        }

        meta.ReleasedReference = value.ReferenceId;
        return true;
    }

    /// <summary>A new reference for the record bpf_ringbuf_reserve returns at <paramref name="pc"/> (acquire_reference).</summary>
    private RegisterValue ReserveRecord(int pc, VerifierState state, int size)
    {
        // The kernel first gives R0 a maybe-NULL id, then replaces it with the reference's own: the first record is id=2.
        NewId();
        int id = NewId();
        state.References = state.References.Add(new AcquiredReference(id, pc));
        return new RegisterValue(ValueKind.RingbufMemoryOrNull, ScalarRange.Zero, Id: id, ReferenceId: id, MemorySize: size);
    }

    /// <summary>
    /// release_reference: the reference leaves the state and every register and spilled copy of the record, in every
    /// frame, becomes an unknown number (what a privileged program's invalidated pointer is).
    /// </summary>
    private bool ReleaseRecord(int pc, int helper, VerifierState state, int referenceId)
    {
        if (!state.References.Exists(reference => reference.Id == referenceId))
        {
            var name = HelperTable.TryGet(helper, out var info) ? info.KernelName : "unknown";
            return Reject(pc, $"func {name}#{helper} reference has not been acquired before");
        }

        state.References = state.References.RemoveAll(reference => reference.Id == referenceId);
        state.Update(value => value.ReferenceId == referenceId ? RegisterValue.UnknownScalar : value);
        return true;
    }

    /// <summary>
    /// check_reference_leak where a program ends (its main exit, a timer callback's exit, a tail call): every reference
    /// still held is named on its own line before the reason. A subprogram's or a bpf_loop callback's exit is not
    /// checked: its references belong to the caller's path and are checked where that ends.
    /// </summary>
    private bool CheckReferenceLeak(int pc, VerifierState state, string where)
    {
        if (state.References.IsEmpty)
        {
            return true;
        }

        var held = string.Join("\n", state.References.Select(reference =>
            string.Create(CultureInfo.InvariantCulture, $"Unreleased reference id={reference.Id} alloc_insn={reference.AcquiredAt}")));
        return Reject(pc, $"{where} would lead to reference leak", held);
    }
}
