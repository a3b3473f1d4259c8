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

    /// <summary><see cref="TailCall"/>'s outcome: the call fell through (r0 = -ENOENT), the target ran or was left to the
    /// trampoline (r0 is the caller's exit value), or the target is the running method's own program, entered again at
    /// its first instruction by the compiled code itself.</summary>
    public const int TailCallFellThrough = 0;
    public const int TailCallTaken = 1;
    public const int TailCallRestart = 2;

    /// <summary>
    /// bpf_tail_call called directly by compiled code whose r2 is <paramref name="programs"/>: TailCallHelper's checks in
    /// its order (index, count, slot, a runnable target), then the target replaces the caller without the helper's
    /// pending-call round trip: when <paramref name="jump"/> (the caller is the function its method was invoked for),
    /// the target is <paramref name="self"/> (the program whose method is running) and <paramref name="restartable"/>,
    /// it becomes the current program (<see cref="ExecutionState.EnterTailJumpInPlace"/>) and the method jumps to its
    /// own first instruction (<see cref="TailCallRestart"/>: a jump, as the kernel's); another target is left to the
    /// invoker's trampoline (<see cref="ExecutionState.BeginTailJump"/>; <paramref name="r0"/> is then unused, the
    /// caller returns at once). Without <paramref name="jump"/> the target runs here (<see cref="ExecutionState.RunTailCall"/>,
    /// a tail call from a bpf-to-bpf callee, whose r0 goes back to its caller).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    public static int TailCall(ExecutionState state, HelperFunction helper, BpfMap programs, PreparedProgram self, bool restartable, ulong r1, ulong r3, int depth, bool jump, out ulong r0)
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
                r0 = 0;
                if (!jump)
                {
                    r0 = state.RunTailCall(target, depth, r1);
                    return TailCallTaken;
                }

                if (restartable && ReferenceEquals(target, self))
                {
                    state.EnterTailJumpInPlace(target, depth, r1);
                    return TailCallRestart;
                }

                state.BeginTailJump(target, depth, r1);
                return TailCallTaken;
            }
        }

        r0 = Helpers.BuiltIn.HelperErrors.Enoent;
        return TailCallFellThrough;
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
