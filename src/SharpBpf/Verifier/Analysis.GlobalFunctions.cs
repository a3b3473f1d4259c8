using System.Globalization;

namespace SharpBpf.Verifier;

/// <summary>
/// Global functions as Linux 6.18 verifies them (check_func_call, btf_check_func_arg_match, do_check_subprogs): a call
/// checks the caller's registers against the function's BTF prototype and continues with an unknown scalar in R0,
/// nothing of the callee flowing back; each function a verified path called is then verified once, on its own,
/// from the registers its prototype describes, and must return a scalar.
/// </summary>
internal sealed partial class Analysis
{
    private readonly HashSet<int> _calledGlobals = [];
    private readonly HashSet<int> _verifiedGlobals = [];

    /// <summary>The prototype of <paramref name="function"/> if BTF declares it global (the entry never is one).</summary>
    private GlobalFunctionPrototype? GlobalPrototype(int function) =>
        function != 0 && _input.GlobalFunctions.TryGetValue(_functionStarts[function], out var prototype) ? prototype : null;

    private string FunctionName(int function)
    {
        int start = _functionStarts[function];
        foreach (var candidate in _input.Functions)
        {
            if (candidate.StartSlot == start)
            {
                return candidate.Name;
            }
        }

        return $"func#{function}";
    }

    /// <summary>A global function's call: the next pc is the instruction after the call (no walk into the callee).</summary>
    private bool GlobalCall(int pc, int function, GlobalFunctionPrototype prototype, VerifierState state)
    {
        if (state.HoldsSpinLock)
        {
            // The kernel's message spans two lines; the second is the one a reader of the log's end sees.
            return Reject(pc, "use static function instead", "global function calls are not allowed while holding a lock,");
        }

        string invalid = $"Caller passes invalid args into func#{function} ('{FunctionName(function)}')";
        if (prototype.Unsupported is { } why)
        {
            return Reject(pc, invalid, why);
        }

        for (var i = 0; i < prototype.Arguments.Length; i++)
        {
            if (!CheckGlobalArgument(pc, state, i, prototype.Arguments[i]))
            {
                // The argument's own reason becomes the detail of the caller's.
                var mismatch = _rejection!;
                _rejection = new Rejection(pc, invalid, mismatch.Detail is null ? mismatch.Reason : $"{mismatch.Detail}\n{mismatch.Reason}");
                return false;
            }
        }

        Trace($"Func#{function} ('{FunctionName(function)}') is global and assumed valid.");
        _calledGlobals.Add(function);
        ClobberCallerSaved(state, RegisterValue.UnknownScalar);
        return true;
    }

    /// <summary>The kernel's btf_check_func_arg_match for one argument register.</summary>
    private bool CheckGlobalArgument(int pc, VerifierState state, int index, GlobalArgument argument)
    {
        int register = index + 1;
        var value = state.Registers[register];
        if (value.Kind == ValueKind.Unknown || argument.Kind == GlobalArgumentKind.Unmodelled)
        {
            if (argument.Kind is GlobalArgumentKind.Memory or GlobalArgumentKind.MemoryOrNull)
            {
                CallerMemoryNotProven();
            }

            return true;
        }

        switch (argument.Kind)
        {
            case GlobalArgumentKind.Scalar when !value.IsScalar:
                return Reject(pc, $"R{register} is not a scalar");
            case GlobalArgumentKind.Context:
                if (!CheckFixedOffsetOnly(pc, register, value))
                {
                    return false;
                }

                if (value.Kind != ValueKind.Context)
                {
                    return Reject(pc, $"arg#{index} expects pointer to ctx");
                }

                break;
            case GlobalArgumentKind.Dynptr:
                return CheckDynptrArgument(pc, state, register, DynptrUse.Reads, out _);
            case GlobalArgumentKind.Memory or GlobalArgumentKind.MemoryOrNull:
                if (!CheckFixedOffsetOnly(pc, register, value) || !CheckGlobalMemory(pc, state, register, value, argument.MemorySize))
                {
                    return false;
                }

                if (argument.Kind == GlobalArgumentKind.Memory && value is { IsScalar: true, Range.IsConstant: true, Range.Value: 0 })
                {
                    // check_mem_reg lets a literal NULL through even where the callee assumes non-NULL memory (Linux
                    // 6.18 accepts it): the callee's accesses then run checked.
                    CallerMemoryNotProven();
                }

                if (argument.Kind == GlobalArgumentKind.Memory && value.Kind.MayBeNull())
                {
                    return Reject(pc, $"arg#{index} is expected to be non-NULL");
                }

                break;
        }

        return true;
    }

    /// <summary>check_func_arg_reg_off: only pointers into memory may carry an offset; the context must be itself.</summary>
    private bool CheckFixedOffsetOnly(int pc, int register, RegisterValue value)
    {
        if (value.Kind == ValueKind.Context && value.Offset != 0)
        {
            return Reject(pc, $"dereference of modified ctx ptr R{register} off={value.Offset} disallowed");
        }

        return true;
    }

    /// <summary>
    /// The kernel's check_mem_reg: NULL passes; otherwise the pointer (as if NULL-checked) must reach
    /// <paramref name="size"/> readable and writable bytes. Stack bytes the callee may write are forgotten.
    /// </summary>
    private bool CheckGlobalMemory(int pc, VerifierState state, int register, RegisterValue value, int size)
    {
        var checkedValue = value.Kind switch
        {
            ValueKind.MapValueOrNull => value with { Kind = ValueKind.MapValue },
            ValueKind.RingbufMemoryOrNull => value with { Kind = ValueKind.RingbufMemory },
            ValueKind.MemoryOrNull => value with { Kind = ValueKind.Memory },
            _ => value,
        };
        switch (checkedValue.Kind)
        {
            case ValueKind.Scalar when checkedValue.Range == ScalarRange.Zero:
                return true;
            case ValueKind.Stack:
                if (checkedValue.Frame > state.CurrentFrameIndex)
                {
                    CallerMemoryNotProven();
                }

                if (!StackAccess(pc, state, register, checkedValue, 0, size, AccessSource.GlobalArgument, stored: null, out _))
                {
                    return false;
                }

                if (checkedValue.HasConstantOffset)
                {
                    var frame = state.Frames[Math.Min(checkedValue.Frame, state.CurrentFrameIndex)];
                    frame.Clobber((int)(checkedValue.Offset + (long)checkedValue.Range.Value), size);
                }

                return true;
            case ValueKind.MapValue:
                if (!CheckMapValueAccess(pc, register, checkedValue, 0, size, AccessSource.Helper, out bool readProven)
                    || !CheckMapValueAccess(pc, register, checkedValue, 0, size, AccessSource.Write, out bool writeProven))
                {
                    return false;
                }

                if (!readProven || !writeProven)
                {
                    CallerMemoryNotProven();
                }

                return true;
            case ValueKind.Packet or ValueKind.PacketMeta:
                // In bounds at the call, but a packet-changing helper in the callee may shrink the packet under it.
                CallerMemoryNotProven();
                return CheckPacketAccess(pc, register, checkedValue, 0, size);
            case ValueKind.MapKey:
                if (!CheckRegion(pc, register, checkedValue, 0, size, checkedValue.Map?.KeySize, "map key, key_size", out _))
                {
                    return false;
                }

                return Reject(pc, $"R{register} cannot write into map_key");
            case ValueKind.RingbufMemory or ValueKind.Memory:
                if (!CheckRegion(pc, register, checkedValue, 0, size, checkedValue.MemorySize, "memory, mem_size", out bool regionProven))
                {
                    return false;
                }

                if (!regionProven)
                {
                    CallerMemoryNotProven();
                }

                return true;
            case ValueKind.Context when _input.ProgramType == SyscallType:
                // A syscall program's context is plain memory the caller passed in, of a size nothing here knows.
                CallerMemoryNotProven();
                return true;
            default:
                return Reject(pc, $"R{register} type={checkedValue.Kind.KernelName()} expected=fp");
        }
    }

    /// <summary>
    /// do_check_subprogs: every global function a verified path called, in function order, once, until no new one
    /// was called. Each starts from its prototype's registers with no checkpoint of the earlier walks (the kernel
    /// frees them), and its instructions count towards the same limit.
    /// </summary>
    private bool VerifyCalledGlobals()
    {
        bool again = true;
        while (again)
        {
            again = false;
            for (var function = 1; function < _functionStarts.Length; function++)
            {
                if (!_calledGlobals.Contains(function) || !_verifiedGlobals.Add(function) || GlobalPrototype(function) is not { } prototype)
                {
                    continue;
                }

                Array.Clear(_explored);
                Trace($"Validating {FunctionName(function)}() func#{function}...");
                var root = new FrameState(function, -1, FrameExit.ReturnToCaller);
                for (var i = 0; i < prototype.Arguments.Length; i++)
                {
                    root.Registers[i + 1] = ArgumentValue(prototype.Arguments[i]);
                }

                root.Registers[10] = RegisterValue.Pointer(ValueKind.Stack, frame: 0);
                _pending.Push(new PendingPath(_functionStarts[function], -1, new VerifierState(root, inAsyncCallback: false), null, [], new ulong[Checkpoint.FrameLimit]));
                if (!Drain())
                {
                    return false;
                }

                Trace($"Func#{function} ('{FunctionName(function)}') is safe for any args that match its prototype");
                again = true;
            }
        }

        return true;
    }

    private RegisterValue ArgumentValue(GlobalArgument argument) => argument.Kind switch
    {
        GlobalArgumentKind.Scalar => RegisterValue.UnknownScalar,
        GlobalArgumentKind.Context => RegisterValue.Pointer(ValueKind.Context),
        GlobalArgumentKind.Memory => new RegisterValue(ValueKind.Memory, ScalarRange.Zero, MemorySize: argument.MemorySize),
        GlobalArgumentKind.MemoryOrNull => new RegisterValue(ValueKind.MemoryOrNull, ScalarRange.Zero, Id: NewId(), MemorySize: argument.MemorySize),
        _ => RegisterValue.Unmodelled,
    };

    /// <summary>Where a global function's own walk ends (check_return_code for a subprogram): R0 must be a scalar.</summary>
    private bool CheckGlobalReturn(int pc, RegisterValue r0)
    {
        if (r0.Kind is not (ValueKind.Scalar or ValueKind.Unknown))
        {
            return Reject(pc, string.Create(CultureInfo.InvariantCulture,
                $"At subprogram exit the register R0 is not a scalar value ({r0.Kind.KernelName()})"));
        }

        return true;
    }
}
