using SharpBpf.Maps;
using System.Runtime.CompilerServices;

namespace SharpBpf.Helpers.BuiltIn;

/// <summary>
/// bpf_tail_call(ctx, prog_array, index) in the kernel's order: an index past max_entries fails without counting; past
/// <see cref="HelperCallContext.MaxTailCalls"/> tail calls it fails; otherwise the call is counted, and an empty slot
/// fails. On success the engine runs the target in place of the current program (same frame, same r1) once the
/// helper returns, and the caller never resumes. On failure the program continues after the call; r0 is then
/// -ENOENT (the kernel leaves r0 undefined, and programs ignore it).
/// </summary>
internal sealed class TailCallHelper(HelperEnvironment environment)
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ulong TailCall(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        if (HelperErrors.Map(context, environment, r2, "bpf_tail_call") is not ProgramArrayMap programs)
        {
            context.Fault("bpf_tail_call: r2 is not a program array");
            return 0;
        }

        var index = (uint)r3;
        if (index >= (uint)programs.MaxEntries)
        {
            return HelperErrors.Enoent;
        }

        var slot = programs.GetTailCallTarget(index);
        var target = slot is null ? null : Resolve(slot);
        return context.TryTailCall(target) ? 0 : HelperErrors.Enoent;
    }

    /// <summary>The engine's program a program-array slot holds (the environment's resolver).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public object? Resolve(object slot) => environment.TailCallResolver(slot);
}
