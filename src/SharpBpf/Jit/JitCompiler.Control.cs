using System.Diagnostics;
using System.Reflection;
using SharpBpf.Execution;
using SharpBpf.Helpers;
using SharpBpf.Isa;
using IL = System.Reflection.Emit;

namespace SharpBpf.Jit;

/// <summary>
/// Jumps, helper calls, bpf-to-bpf calls (local and <c>callx</c>) and exit. A call saves r6–r9, r10 and the number
/// of its return site in the frame stack and continues at the callee; a callee's exit pops that frame and switches
/// on the return-site number. Fault order follows the interpreter: budget, then the call's own checks.
/// </summary>
internal sealed partial class JitCompiler
{
    private void EmitJump(int pc, Instruction insn)
    {
        switch (insn.Opcode)
        {
            case Opcodes.Ja:
            case Opcodes.Ja32:
                var target = (int)ProgramValidator.JumpTarget(insn, pc)!.Value;
                // A merged jump's segment charged the target's too (SegmentPlan.MergedJump): enter past its charge.
                _il.Emit(IL.OpCodes.Br, _plan.MergedJump[pc] && !_isChunk ? _body[target - _first] : Leader(target));
                return;
            case Opcodes.MayGoto:
                _il.LoadArgument(ArgState);
                _il.Emit(IL.OpCodes.Ldloc, _depth);
                _il.Emit(IL.OpCodes.Call, StateMethod(nameof(ExecutionState.MayGotoSpent)));
                _il.Emit(IL.OpCodes.Brtrue, Leader(pc + 1 + insn.Offset));
                return;
            case Opcodes.Exit:
                EmitExit();
                return;
            case Opcodes.Callx:
                EmitCallx(pc, insn);
                return;
            case Opcodes.Call:
                switch ((CallSource)insn.Src)
                {
                    case CallSource.Local:
                        EmitPushFrame(pc);
                        _il.Emit(IL.OpCodes.Br, Leader(pc + 1 + insn.Immediate));
                        break;
                    case CallSource.Kfunc:
                        EmitKfuncCall(pc, insn);
                        break;
                    default:
                        EmitHelperCall(pc, insn);
                        break;
                }

                return;
        }

        EmitConditionalJump(pc, insn);
    }

    private void EmitConditionalJump(int pc, Instruction insn)
    {
        var is64 = insn.Class == InstructionClass.Jmp;
        var isReg = (insn.Opcode & 0x08) != 0;
        var operation = (JumpOperation)(insn.Opcode & 0xf0);
        var target = Leader(pc + 1 + insn.Offset);
        LoadOperand32Or64(insn.Dst, is64);
        if (isReg)
        {
            LoadOperand32Or64(insn.Src, is64);
        }
        else
        {
            LoadImmediate(insn.Immediate, is64);
        }

        if (operation == JumpOperation.Jset)
        {
            _il.Emit(IL.OpCodes.And);
            _il.Emit(IL.OpCodes.Brtrue, target);
            return;
        }

        _il.Emit(operation switch
        {
            JumpOperation.Jeq => IL.OpCodes.Beq,
            JumpOperation.Jne => IL.OpCodes.Bne_Un,
            JumpOperation.Jgt => IL.OpCodes.Bgt_Un,
            JumpOperation.Jge => IL.OpCodes.Bge_Un,
            JumpOperation.Jlt => IL.OpCodes.Blt_Un,
            JumpOperation.Jle => IL.OpCodes.Ble_Un,
            JumpOperation.Jsgt => IL.OpCodes.Bgt,
            JumpOperation.Jsge => IL.OpCodes.Bge,
            JumpOperation.Jslt => IL.OpCodes.Blt,
            JumpOperation.Jsle => IL.OpCodes.Ble,
            _ => throw new UnreachableException($"jump operation {operation} passed validation"),
        }, target);
    }

    private void EmitExit()
    {
        if (_hasCalls)
        {
            // Not the frame this invocation started in: return to the caller's instruction.
            _il.Emit(IL.OpCodes.Ldloc, _depth);
            _il.LoadArgument(ArgBaseDepth);
            _il.Emit(IL.OpCodes.Bne_Un, _returnFromCall);
        }

        EmitSyncRemaining();
        LoadRegister(0);
        EmitReturnTop();
    }

    /// <summary>The helper is resolved at compile time (the registry snapshot is immutable); unknown ids fault at the call.</summary>
    private void EmitHelperCall(int pc, Instruction insn)
    {
        if (_owner.FindHelper((ulong)(long)insn.Immediate) is not { } helper)
        {
            EmitThrowFault(FaultKind.UnknownHelper, pc, (uint)insn.Immediate);
            return;
        }

        if (TryEmitDirectMapCall(pc, insn, helper) || TryEmitDirectTailCall(pc, insn, helper))
        {
            return;
        }

        RecognizeForEachMap(pc, insn, helper);

        var site = _callSiteHelpers.Count;
        _callSiteHelpers.Add(helper);
        LoadCallSiteHelper(site);
        EmitInvokeHelper(pc);
    }

    /// <summary>helper = the delegate of call site <paramref name="site"/>.</summary>
    private void LoadCallSiteHelper(int site)
    {
        _il.LoadArgument(ArgProgram);
        _il.Emit(IL.OpCodes.Ldfld, typeof(JitProgram).GetField(nameof(JitProgram.CallSiteHelpers), BindingFlags.Instance | BindingFlags.NonPublic)!);
        _il.Emit(IL.OpCodes.Ldc_I4, site);
        _il.Emit(IL.OpCodes.Ldelem_Ref);
        _il.Emit(IL.OpCodes.Stloc, _helper);
    }

    /// <summary>r0 = helper(state, r1..r5) with the run's position and budget published to the state around it.</summary>
    private void EmitInvokeHelper(int pc)
    {
        EmitSyncRemaining();
        _il.LoadArgument(ArgState);
        _il.Emit(IL.OpCodes.Ldc_I4, pc);
        _il.Emit(IL.OpCodes.Call, StateSetter(nameof(ExecutionState.CurrentInstruction)));
        _il.LoadArgument(ArgState);
        _il.Emit(IL.OpCodes.Ldloc, _depth);
        _il.Emit(IL.OpCodes.Call, StateSetter(nameof(ExecutionState.CurrentDepth)));
        _il.Emit(IL.OpCodes.Ldloc, _helper);
        _il.LoadArgument(ArgState);
        for (var i = 1; i <= 5; i++)
        {
            LoadRegister(i);
        }

        _il.Emit(IL.OpCodes.Callvirt, typeof(HelperFunction).GetMethod(nameof(HelperFunction.Invoke))!);
        StoreRegister(0);
        _il.LoadArgument(ArgState);
        _il.Emit(IL.OpCodes.Call, StateGetter(nameof(ExecutionState.Remaining)));
        _il.Emit(IL.OpCodes.Stloc, _remaining);
        EmitPendingTailCall(pc);
    }

    /// <summary>
    /// After a helper: when it was bpf_tail_call and it succeeded, the target replaces the current function in its
    /// frame and its r0 becomes this function's exit value (Execution/README.md, the interpreter's TailCall block).
    /// </summary>
    private void EmitPendingTailCall(int pc)
    {
        var noTailCall = _il.DefineLabel($"no_tail_call_{pc}");
        _il.LoadArgument(ArgState);
        _il.Emit(IL.OpCodes.Call, StateGetter(nameof(ExecutionState.PendingTailCall)));
        _il.Emit(IL.OpCodes.Brfalse, noTailCall);
        _il.LoadArgument(ArgState);
        _il.Emit(IL.OpCodes.Ldloc, _depth);
        LoadRegister(1);
        EmitIsInvocationFunction();
        _il.Emit(IL.OpCodes.Call, typeof(ExecutionState).GetMethod(nameof(ExecutionState.EnterPendingTailCall), BindingFlags.Instance | BindingFlags.NonPublic)!);
        StoreRegister(0);
        _il.LoadArgument(ArgState);
        _il.Emit(IL.OpCodes.Call, StateGetter(nameof(ExecutionState.Remaining)));
        _il.Emit(IL.OpCodes.Stloc, _remaining);
        EmitExit();
        _il.MarkLabel(noTailCall);
    }

    /// <summary>
    /// Pushes whether the current function is the one this invocation was entered for (its exit is the method's
    /// return), not a bpf-to-bpf callee: then a tail call can be left to the invoker's trampoline.
    /// </summary>
    private void EmitIsInvocationFunction()
    {
        if (_hasCalls)
        {
            _il.Emit(IL.OpCodes.Ldloc, _depth);
            _il.LoadArgument(ArgBaseDepth);
            _il.Emit(IL.OpCodes.Ceq);
        }
        else
        {
            _il.Emit(IL.OpCodes.Ldc_I4_1);
        }
    }

    /// <summary>callx: a function pointer is a local call (to a valid instruction start), anything else a helper id.</summary>
    private void EmitCallx(int pc, Instruction insn)
    {
        LoadRegister(insn.Dst);
        _il.Emit(IL.OpCodes.Stloc, _value);
        _il.Emit(IL.OpCodes.Ldloc, _value);
        _il.Emit(IL.OpCodes.Call, typeof(JitRuntime).GetMethod(nameof(JitRuntime.DecodeFunctionPointer))!);
        _il.Emit(IL.OpCodes.Stloc, _target);
        var helperPath = _il.DefineLabel($"callx_helper_{pc}");
        _il.Emit(IL.OpCodes.Ldloc, _target);
        _il.Emit(IL.OpCodes.Ldc_I4_0);
        _il.Emit(IL.OpCodes.Blt, helperPath);

        _il.LoadArgument(ArgProgram);
        _il.Emit(IL.OpCodes.Ldloc, _target);
        _il.Emit(IL.OpCodes.Call, typeof(PreparedProgram).GetMethod(nameof(PreparedProgram.IsInstructionStart))!);
        _il.Emit(IL.OpCodes.Brfalse, Cold($"invalid_target_{pc}", () =>
            EmitThrowFault(FaultKind.InvalidCallTarget, pc, () => _il.Emit(IL.OpCodes.Ldloc, _value), 0)));
        EmitPushFrame(pc);
        _il.Emit(IL.OpCodes.Br, _dynamicDispatch);

        _il.MarkLabel(helperPath);
        _il.LoadArgument(ArgProgram);
        _il.Emit(IL.OpCodes.Ldloc, _value);
        _il.Emit(IL.OpCodes.Call, typeof(JitProgram).GetMethod(nameof(JitProgram.FindHelper), BindingFlags.Instance | BindingFlags.NonPublic)!);
        _il.Emit(IL.OpCodes.Stloc, _helper);
        _il.Emit(IL.OpCodes.Ldloc, _helper);
        _il.Emit(IL.OpCodes.Brfalse, Cold($"unknown_helper_{pc}", () =>
            EmitThrowFault(FaultKind.UnknownHelper, pc, () => _il.Emit(IL.OpCodes.Ldloc, _value), 0)));
        EmitInvokeHelper(pc);
    }

    /// <summary>Enters a new frame for a call at <paramref name="pc"/>; the caller then branches to the callee.</summary>
    private void EmitPushFrame(int pc)
    {
        _il.Emit(IL.OpCodes.Ldloc, _depth);
        _il.Emit(IL.OpCodes.Ldc_I4_1);
        _il.Emit(IL.OpCodes.Add);
        _il.Emit(IL.OpCodes.Ldloc, _depthLimit);
        _il.Emit(IL.OpCodes.Bge, Cold($"call_depth_{pc}", () => EmitThrowFault(FaultKind.CallDepthExceeded, pc)));

        var returnSite = _isChunk ? pc + 1 : _returnSites.Count;
        if (!_isChunk)
        {
            _returnSites.Add(Leader(pc + 1));
        }

        EmitFramePointer();
        for (var i = 0; i < 5; i++)
        {
            _il.Emit(IL.OpCodes.Ldloc, _framePointer);
            if (i > 0)
            {
                _il.Emit(IL.OpCodes.Ldc_I4, i * 8);
                _il.Emit(IL.OpCodes.Add);
            }

            LoadRegister(6 + i);
            _il.Emit(IL.OpCodes.Stind_I8);
        }

        _il.Emit(IL.OpCodes.Ldloc, _framePointer);
        _il.Emit(IL.OpCodes.Ldc_I4, 40);
        _il.Emit(IL.OpCodes.Add);
        _il.Emit(IL.OpCodes.Ldc_I4, returnSite);
        _il.Emit(IL.OpCodes.Stind_I4);

        _il.Emit(IL.OpCodes.Ldloc, _depth);
        _il.Emit(IL.OpCodes.Ldc_I4_1);
        _il.Emit(IL.OpCodes.Add);
        _il.Emit(IL.OpCodes.Stloc, _depth);
        AdjustStackWindow(grow: true);
        _il.LoadArgument(ArgState);
        _il.Emit(IL.OpCodes.Ldloc, _depth);
        _il.Emit(IL.OpCodes.Call, StateMethod(nameof(ExecutionState.FrameTop)));
        StoreRegister(10);
        if (_usesMayGoto)
        {
            _il.LoadArgument(ArgState);
            _il.Emit(IL.OpCodes.Ldloc, _depth);
            _il.Emit(IL.OpCodes.Call, StateMethod(nameof(ExecutionState.ResetMayGoto)));
        }
    }
}
