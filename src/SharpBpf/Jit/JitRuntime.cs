using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using SharpBpf.Execution;
using SharpBpf.Helpers;
using SharpBpf.Maps;

namespace SharpBpf.Jit;

/// <summary>
/// Out-of-line pieces compiled code calls: fault construction (the IL throws what these return, so the hot code holds
/// no <c>newobj</c>), legacy packet loads and function-pointer decoding. It holds no state.
/// </summary>
internal static unsafe class JitRuntime
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Exception Fault(FaultKind kind, int instructionIndex, ulong address, int size) =>
        new ProgramFaultException(kind, instructionIndex, address, size);

    /// <summary>
    /// bpf_tail_call called directly by compiled code whose r2 is <paramref name="programs"/>: TailCallHelper's checks in
    /// its order (index, count, slot, a runnable target), then the target replaces the caller without the helper's
    /// pending-call round trip: when <paramref name="jump"/> (the caller is the function its method was invoked for),
    /// left to the invoker's trampoline (<see cref="ExecutionState.BeginTailJump"/>; <paramref name="r0"/> is then
    /// unused, the caller returns at once), else run here (<see cref="ExecutionState.RunTailCall"/>, a tail call from
    /// a bpf-to-bpf callee, whose r0 goes back to its caller). False, with <paramref name="r0"/> = -ENOENT, when the
    /// call falls through.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    public static bool TailCall(ExecutionState state, HelperFunction helper, BpfMap programs, ulong r1, ulong r3, int depth, bool jump, out ulong r0)
    {
        var array = Unsafe.As<ProgramArrayMap>(programs);
        var index = (uint)r3;
        if (index < (uint)array.MaxEntries && state.CountTailCall() && array.GetTailCallTarget(index) is { } slot)
        {
            // The slot's resolution is cached beside it (one per slot, replaced when the slot or the resolver changes).
            var target = array.ResolvedAt(index) is ResolvedTailCall cached && ReferenceEquals(cached.Slot, slot) && ReferenceEquals(cached.Helper, helper)
                ? cached.Target
                : Resolve(array, index, slot, helper);
            if (target is not null && target.Mode == state.CurrentProgram.Mode)
            {
                if (jump)
                {
                    state.BeginTailJump(target, depth, r1);
                    r0 = 0;
                }
                else
                {
                    r0 = state.RunTailCall(target, depth, r1);
                }

                return true;
            }
        }

        r0 = Helpers.BuiltIn.HelperErrors.Enoent;
        return false;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static PreparedProgram? Resolve(ProgramArrayMap array, uint index, object slot, HelperFunction helper)
    {
        var target = Unsafe.As<Helpers.BuiltIn.TailCallHelper>(helper.Target!).Resolve(slot) as PreparedProgram;
        array.CacheResolved(index, new ResolvedTailCall(slot, helper, target));
        return target;
    }

    /// <summary>A program-array slot's object, the helper (hence resolver) that resolved it, and the program it runs.</summary>
    private sealed class ResolvedTailCall(object slot, HelperFunction helper, PreparedProgram? target)
    {
        public readonly object Slot = slot;
        public readonly HelperFunction Helper = helper;
        public readonly PreparedProgram? Target = target;
    }

    /// <summary>A map value a directly called lookup found becomes a region of the run (MapHelpers.Expose's rule).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ExposeMapValue(ExecutionState state, ulong value, int size, MemoryAccess access)
    {
        if (value != 0)
        {
            state.AddRegion(new MemoryRegion(value, (ulong)size, access, RegionKind.HelperMemory));
        }
    }

    /// <summary>The run's CPU as a per-CPU map of <paramref name="possibleCpus"/> copies indexes it (BpfMap.CurrentCpu's rule).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    public static int CurrentCpu(int possibleCpus)
    {
        var cpu = RunScope.CurrentCpu;
        return (uint)cpu < (uint)possibleCpus ? cpu : (int)((uint)cpu % (uint)possibleCpus);
    }

    /// <summary>A dispatch reached a slot that is no instruction start: a JIT bug, never a program's fault.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Exception Unreachable() => new InvalidOperationException("jit: control reached a slot that is not an instruction start");

    /// <summary>The slot a function pointer names, or -1 when the value is not one (then callx treats it as a helper id).</summary>
    public static int DecodeFunctionPointer(ulong value) => FunctionPointer.TryDecode(value, out var slot) ? slot : -1;

    /// <summary>
    /// Legacy <c>ldabs</c>/<c>ldind</c>: the big-endian value at packet[offset], or -1 when the offset is outside the
    /// packet (the program then ends with r0 = 0). Faults when the run has no packet.
    /// </summary>
    public static long LoadPacket(ExecutionState state, int size, long offset, int instructionIndex)
    {
        if (state.Packet is not { } packet)
        {
            throw Fault(FaultKind.PacketContextRequired, instructionIndex, 0, 0);
        }

        if (offset < 0 || (ulong)offset + (ulong)size > packet.Length)
        {
            return -1;
        }

        var p = (byte*)(packet.Start + (ulong)offset);
        return size switch
        {
            1 => *p,
            2 => BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<ushort>(p)),
            _ => BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<uint>(p)),
        };
    }
}
