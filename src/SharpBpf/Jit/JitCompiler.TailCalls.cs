using System.Reflection;
using SharpBpf.Execution;
using SharpBpf.Helpers;
using SharpBpf.Helpers.BuiltIn;
using SharpBpf.Isa;
using SharpBpf.Maps;
using IL = System.Reflection.Emit;

namespace SharpBpf.Jit;

/// <summary>
/// bpf_tail_call whose program array is known when the program is compiled (r2 set by an <c>lddw</c> of its handle
/// just before the call): the kernel's tail call is a jump with a counter, so the compiled code calls
/// <see cref="JitRuntime.TailCall"/>, which reads the slot and counts, then returns, leaving the target for
/// <see cref="PreparedProgram.Execute"/>'s trampoline to enter in the same frame (a chain of tail calls does not grow the
/// .NET stack), or from a bpf-to-bpf callee runs it there; instead of the general helper call, the pending tail call
/// and the engine's round trip. The guess
/// is checked at run time (r2 equals the handle, the array is not disposed); anything else takes the general call.
/// Results, counting and faults are those of <see cref="TailCallHelper"/> and <see cref="ExecutionState.RunTailCall"/>.
/// </summary>
internal sealed partial class JitCompiler
{
    private bool TryEmitDirectTailCall(int pc, Instruction insn, HelperFunction helper)
    {
        if ((HelperId)insn.Immediate != HelperId.TailCall
            || helper.Target is not TailCallHelper
            || helper.Method.Name != nameof(TailCallHelper.TailCall)
            || ConstantBefore(pc, 2) is not { } handle
            || BpfMap.FromHandle((nint)handle) is not ProgramArrayMap programs)
        {
            return false;
        }

        var done = _il.DefineLabel($"tail_call_done_{pc}");
        var site = _callSiteHelpers.Count;
        _callSiteHelpers.Add(helper);
        var general = Cold($"tail_call_general_{pc}", () =>
        {
            LoadCallSiteHelper(site);
            EmitInvokeHelper(pc);
            _il.Emit(IL.OpCodes.Br, done);
        });
        var mapIndex = _inlinedMaps.Count;
        _inlinedMaps.Add(programs);

        LoadRegister(2);
        _il.Emit(IL.OpCodes.Ldc_I8, (long)programs.Handle);
        _il.Emit(IL.OpCodes.Bne_Un, general);
        _il.Emit(IL.OpCodes.Ldc_I8, (long)programs.DisposedFlagAddress);
        _il.Emit(IL.OpCodes.Conv_I);
        _il.Emit(IL.OpCodes.Volatile);
        _il.Emit(IL.OpCodes.Ldind_I4);
        _il.Emit(IL.OpCodes.Brtrue, general);

        // The target reads the budget from the state and faults at this call's slot when it cannot be entered.
        EmitSyncRemaining();
        _il.LoadArgument(ArgState);
        _il.Emit(IL.OpCodes.Ldc_I4, pc);
        _il.Emit(IL.OpCodes.Call, StateSetter(nameof(ExecutionState.CurrentInstruction)));
        _il.LoadArgument(ArgState);
        _il.Emit(IL.OpCodes.Ldloc, _depth);
        _il.Emit(IL.OpCodes.Call, StateSetter(nameof(ExecutionState.CurrentDepth)));

        _il.LoadArgument(ArgState);
        _il.LoadArgument(ArgProgram);
        _il.Emit(IL.OpCodes.Ldfld, typeof(JitProgram).GetField(nameof(JitProgram.CallSiteHelpers), BindingFlags.Instance | BindingFlags.NonPublic)!);
        _il.Emit(IL.OpCodes.Ldc_I4, site);
        _il.Emit(IL.OpCodes.Ldelem_Ref);
        LoadInlinedMap(mapIndex);
        _il.LoadArgument(ArgProgram);
        // A chunk's method does not hold slot 0 or keep the depth limit across chunks: its self tail call takes the trampoline.
        _il.Emit(_isChunk ? IL.OpCodes.Ldc_I4_0 : IL.OpCodes.Ldc_I4_1);
        LoadRegister(1);
        LoadRegister(3);
        _il.Emit(IL.OpCodes.Ldloc, _depth);
        // A jump only from the function this invocation was entered for: a bpf-to-bpf callee's caller goes on after it.
        EmitIsInvocationFunction();

        _il.Emit(IL.OpCodes.Ldloca, _value);
        _il.Emit(IL.OpCodes.Call, typeof(JitRuntime).GetMethod(nameof(JitRuntime.TailCall))!);
        _il.Emit(IL.OpCodes.Stloc, _target);
        _il.Emit(IL.OpCodes.Ldloc, _value);
        StoreRegister(0);
        _il.LoadArgument(ArgState);
        _il.Emit(IL.OpCodes.Call, StateGetter(nameof(ExecutionState.Remaining)));
        _il.Emit(IL.OpCodes.Stloc, _remaining);
        _il.Emit(IL.OpCodes.Ldloc, _target);
        _il.Emit(IL.OpCodes.Brfalse, done);
        var restart = _il.DefineLabel($"tail_call_restart_{pc}");
        _il.Emit(IL.OpCodes.Ldloc, _target);
        _il.Emit(IL.OpCodes.Ldc_I4, JitRuntime.TailCallRestart);
        _il.Emit(IL.OpCodes.Beq, restart);
        // Taken: the target's r0 is this function's exit value.
        EmitExit();

        // The program tail-called itself: its first instruction again, in the same frame (r10 and the stack bytes
        // kept), with r1 = the context and the other registers as the trampoline enters a target (0).
        _il.MarkLabel(restart);
        for (var i = 0; i <= 9; i++)
        {
            if (i != 1)
            {
                _il.Emit(IL.OpCodes.Ldc_I8, 0L);
                StoreRegister(i);
            }
        }

        if (_hasCalls)
        {
            _il.LoadArgument(ArgState);
            _il.Emit(IL.OpCodes.Call, StateGetter(nameof(ExecutionState.CallDepthLimit)));
            _il.Emit(IL.OpCodes.Stloc, _depthLimit);
        }

        _il.Emit(IL.OpCodes.Br, Leader(0));
        _il.MarkLabel(done);
        return true;
    }
}
