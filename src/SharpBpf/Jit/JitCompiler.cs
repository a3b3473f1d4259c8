using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Reflection;
using System.Text;
using SharpBpf.Execution;
using SharpBpf.Helpers;
using SharpBpf.Isa;
using IL = System.Reflection.Emit;

namespace SharpBpf.Jit;

/// <summary>
/// Emits one IL method for a whole program, or one per chunk of a long one (<see cref="ChunkPlan"/>: the same code for
/// the chunk's slots, entered and left through a <see cref="JitRegisterFile"/>; one compiler instance emits them all,
/// so helper and map tables are shared). Layout: a prologue that loads the arguments into register locals, one
/// block per instruction (with a budget check at each segment start, see <see cref="SegmentPlan"/>), the end sentinel
/// that faults "fell off the end", then shared blocks (dynamic dispatch for entry slots and <c>callx</c>, return from a
/// bpf-to-bpf call, the budget fault) and the cold fault stubs. bpf-to-bpf calls stay inside the method with an
/// explicit stack of saved frames, as in the interpreter, so jumps, calls and early ends behave the same.
/// It does not optimise across instructions: the .NET JIT does that.
/// </summary>
internal sealed partial class JitCompiler
{
    // Method arguments. A chunk of a split program takes the register file where a whole program takes r1–r5.
    private const short ArgProgram = 0;
    private const short ArgState = 1;
    private const short ArgEntrySlot = 2;
    private const short ArgBaseDepth = 3;
    private const short ArgR1 = 4;
    private const short ArgRegisterFile = 4;

    /// <summary>One saved frame: r6–r9, r10 and the return-site number (a chunk: the return slot), 8 bytes each.</summary>
    internal const int SavedFrameSize = 6 * 8;

    // The program.
    private readonly Instruction[] _program;
    private readonly SegmentPlan _plan;
    private readonly JitProgram _owner;
    private readonly bool _checked;
    private readonly bool _hasCalls;
    private readonly bool _usesMayGoto;
    private readonly bool _keepListing;
    private readonly List<HelperFunction> _callSiteHelpers = [];

    // The method being emitted: the whole program, or one chunk of it; either holds the slots [_first, _end).
    private IlEmitter _il = null!;
    private bool _isChunk;
    private int _first;
    private int _end;
    private readonly IL.LocalBuilder[] _r = new IL.LocalBuilder[11];
    private IL.LocalBuilder _remaining = null!;
    private IL.LocalBuilder _depth = null!;

    /// <summary>One past the deepest frame this invocation may enter (<see cref="ExecutionState.CallDepthLimit"/>).</summary>
    private IL.LocalBuilder _depthLimit = null!;
    private IL.LocalBuilder _stackLow = null!;
    private IL.LocalBuilder _stackLength = null!;
    private IL.LocalBuilder _address = null!;
    private IL.LocalBuilder _frames = null!;
    private IL.LocalBuilder _framePointer = null!;
    private IL.LocalBuilder _target = null!;
    private IL.LocalBuilder _value = null!;
    private IL.LocalBuilder _helper = null!;
    private IL.LocalBuilder _map = null!;
    private IL.LocalBuilder _faultSlot = null!;
    private IL.LocalBuilder _faultCharge = null!;

    // Indexed by slot - _first.
    private IL.Label[] _check = [];
    private IL.Label[] _body = [];
    private IL.Label _dynamicDispatch;
    private IL.Label _returnFromCall;
    private IL.Label _budgetFault;
    private IL.Label _unreachable;

    /// <summary>Where the prologue fills the locals the body's code asked for (emitted after the body, when they are known).</summary>
    private IL.Label _entryLocals;
    private IL.Label _entryLocalsDone;

    /// <summary>A chunk's way out: stores the registers to the register file and returns <see cref="_target"/>.</summary>
    private IL.Label _leave;
    private readonly List<IL.Label> _returnSites = [];
    private readonly List<(IL.Label Label, Action Emit)> _cold = [];
    private readonly Dictionary<int, IL.Label> _exits = [];

    private JitCompiler(JitProgram owner, Instruction[] program, SegmentPlan plan, bool keepListing)
    {
        _owner = owner;
        _program = program;
        _plan = plan;
        // The stack window is kept whenever any access may be checked; each access then asks NeedsCheck.
        _checked = owner.Mode != ExecutionMode.Unchecked;
        _usesMayGoto = program.Any(i => i.Opcode == Opcodes.MayGoto);
        _hasCalls = program.Any(i => i.Opcode == Opcodes.Callx || (i.Opcode == Opcodes.Call && i.Src == (byte)CallSource.Local));
        _keepListing = keepListing;
    }

    public sealed record Result(CompiledCode Code, HelperFunction?[] CallSiteHelpers, Maps.BpfMap[] InlinedMaps, string? Listing);

    /// <param name="chunkStarts">From <see cref="ChunkPlan.Starts"/>: [0] compiles one method, more one method per chunk.</param>
    [RequiresDynamicCode("emits IL")]
    public static Result Compile(JitProgram owner, ReadOnlySpan<Instruction> program, SegmentPlan plan, int[] chunkStarts, bool keepListing)
    {
        var compiler = new JitCompiler(owner, program.ToArray(), plan, keepListing);
        if (chunkStarts.Length == 1)
        {
            var method = new IL.DynamicMethod(
                "bpf_program",
                typeof(ulong),
                [typeof(JitProgram), typeof(ExecutionState), typeof(int), typeof(int),
                    typeof(ulong), typeof(ulong), typeof(ulong), typeof(ulong), typeof(ulong)],
                typeof(JitProgram),
                skipVisibility: true);
            compiler.EmitMethod(method.GetILGenerator(), isChunk: false, 0, program.Length + 1);
            var code = (CompiledCode)method.CreateDelegate(typeof(CompiledCode), owner);
            return compiler.ResultFor(code, compiler._il.Listing);
        }

        var chunks = new ChunkCode[chunkStarts.Length];
        var listing = keepListing ? new StringBuilder() : null;
        for (var i = 0; i < chunks.Length; i++)
        {
            var first = chunkStarts[i];
            var end = i + 1 < chunkStarts.Length ? chunkStarts[i + 1] : program.Length + 1;
            var method = new IL.DynamicMethod(
                $"bpf_chunk_{first}",
                typeof(int),
                [typeof(JitProgram), typeof(ExecutionState), typeof(int), typeof(int), typeof(JitRegisterFile).MakeByRefType()],
                typeof(JitProgram),
                skipVisibility: true);
            compiler.EmitMethod(method.GetILGenerator(), isChunk: true, first, end);
            chunks[i] = (ChunkCode)method.CreateDelegate(typeof(ChunkCode), owner);
            listing?.Append(CultureInfo.InvariantCulture, $"// chunk {i}: slots {first}..{end - 1}\n").Append(compiler._il.Listing);
        }

        var runner = new JitChunkRunner(chunks, chunkStarts, program.Length);
        return compiler.ResultFor(runner.Run, listing?.ToString());
    }

    private Result ResultFor(CompiledCode code, string? listing) => new(code, [.. _callSiteHelpers], [.. _inlinedMaps], listing);

    /// <summary>Starts a new method: fresh locals and labels for the slots [first, end).</summary>
    private void BeginMethod(IL.ILGenerator generator, bool isChunk, int first, int end)
    {
        _il = new IlEmitter(generator, _keepListing);
        _isChunk = isChunk;
        _first = first;
        _end = end;
        _returnSites.Clear();
        _runCpu.Clear();
        _cold.Clear();
        _exits.Clear();
        for (var i = 0; i < _r.Length; i++)
        {
            _r[i] = _il.DeclareLocal(typeof(ulong), $"r{i}");
        }

        _remaining = _il.DeclareLocal(typeof(long), "remaining");
        _depth = _il.DeclareLocal(typeof(int), "depth");
        _depthLimit = _il.DeclareLocal(typeof(int), "depth_limit");
        _stackLow = _il.DeclareLocal(typeof(ulong), "stackLow");
        _stackLength = _il.DeclareLocal(typeof(ulong), "stackLength");
        _address = _il.DeclareLocal(typeof(ulong), "address");
        _frames = _il.DeclareLocal(typeof(nint), "frames");
        _framePointer = _il.DeclareLocal(typeof(nint), "frame");
        _target = _il.DeclareLocal(typeof(int), "target");
        _value = _il.DeclareLocal(typeof(ulong), "value");
        _helper = _il.DeclareLocal(typeof(HelperFunction), "helper");
        _map = _il.DeclareLocal(typeof(Maps.BpfMap), "map");
        _faultSlot = _il.DeclareLocal(typeof(int), "faultSlot");
        _faultCharge = _il.DeclareLocal(typeof(long), "faultCharge");

        _unreachable = _il.DefineLabel("unreachable");
        _check = new IL.Label[end - first];
        _body = new IL.Label[end - first];
        for (var pc = first; pc < end; pc++)
        {
            if (_plan.IsLeader[pc])
            {
                _check[pc - first] = _il.DefineLabel($"segment_{pc}");
            }

            // The second slot of an lddw is never a target; the dispatch table still needs a label for it.
            _body[pc - first] = pc > first && _program[pc - 1].IsLoadImm64 && _body[pc - 1 - first] != _unreachable
                ? _unreachable
                : _il.DefineLabel($"insn_{pc}");
        }

        _dynamicDispatch = _il.DefineLabel("dynamic_dispatch");
        _returnFromCall = _il.DefineLabel("return_from_call");
        _budgetFault = _il.DefineLabel("budget_fault");
        _leave = _il.DefineLabel("leave");
        _entryLocals = _il.DefineLabel("entry_locals");
        _entryLocalsDone = _il.DefineLabel("entry_locals_done");
    }

    private void EmitMethod(IL.ILGenerator generator, bool isChunk, int first, int end)
    {
        BeginMethod(generator, isChunk, first, end);
        if (isChunk)
        {
            EmitChunkPrologue();
        }
        else
        {
            EmitPrologue();
        }

        var length = _program.Length;
        for (var pc = first; pc < Math.Min(end, length); pc++)
        {
            var insn = _program[pc];
            if (_plan.IsLeader[pc])
            {
                _il.MarkLabel(_check[pc - first]);
                EmitBudgetCharge(pc, _plan.Charge[pc]);
            }

            _il.MarkLabel(_body[pc - first]);
            _il.Comment(insn.ToString());
            EmitInstruction(pc, insn);
            if (insn.IsLoadImm64)
            {
                pc++;
            }
        }

        if (end > length)
        {
            _il.MarkLabel(_check[length - first]);
            EmitBudgetCharge(length, 1);
            _il.MarkLabel(_body[length - first]);
            EmitThrowFault(FaultKind.FellOffEnd, length);
        }
        else
        {
            // The chunk's last instruction falls through into the next chunk.
            _il.Emit(IL.OpCodes.Br, Leader(end));
        }

        EmitDynamicDispatch();
        EmitReturnFromCall();
        EmitBudgetFault();
        if (isChunk)
        {
            EmitLeave();
        }

        EmitEntryLocals();
        _il.MarkLabel(_unreachable);
        _il.Emit(IL.OpCodes.Call, typeof(JitRuntime).GetMethod(nameof(JitRuntime.Unreachable))!);
        _il.Emit(IL.OpCodes.Throw);

        // Cold stubs may add more cold stubs; index, not foreach.
        for (var i = 0; i < _cold.Count; i++)
        {
            _il.MarkLabel(_cold[i].Label);
            _cold[i].Emit();
        }
    }

    private void EmitPrologue()
    {
        // A negative entry slot is the warm-up call JitProgram makes at prepare time: it makes the runtime compile this
        // method then, not on the first real run, and touches nothing.
        var start = _il.DefineLabel("start");
        _il.LoadArgument(ArgEntrySlot);
        _il.Emit(IL.OpCodes.Ldc_I4_0);
        _il.Emit(IL.OpCodes.Bge, start);
        _il.Emit(IL.OpCodes.Ldc_I8, 0L);
        _il.Emit(IL.OpCodes.Ret);
        _il.MarkLabel(start);
        _il.Emit(IL.OpCodes.Br, _entryLocals);
        _il.MarkLabel(_entryLocalsDone);
        for (var i = 1; i <= 5; i++)
        {
            _il.LoadArgument(ArgR1 + i - 1);
            StoreRegister(i);
        }

        _il.LoadArgument(ArgState);
        _il.LoadArgument(ArgBaseDepth);
        _il.Emit(IL.OpCodes.Call, StateMethod(nameof(ExecutionState.FrameTop)));
        StoreRegister(10);
        if (_checked)
        {
            _il.LoadArgument(ArgState);
            _il.LoadArgument(ArgBaseDepth);
            _il.Emit(IL.OpCodes.Call, StateMethod(nameof(ExecutionState.StackLow)));
            _il.Emit(IL.OpCodes.Stloc, _stackLow);
            _il.LoadArgument(ArgState);
            _il.Emit(IL.OpCodes.Call, StateGetter(nameof(ExecutionState.StackTop)));
            _il.Emit(IL.OpCodes.Ldloc, _stackLow);
            _il.Emit(IL.OpCodes.Sub);
            _il.Emit(IL.OpCodes.Stloc, _stackLength);
        }

        _il.LoadArgument(ArgState);
        _il.Emit(IL.OpCodes.Call, StateGetter(nameof(ExecutionState.Remaining)));
        _il.Emit(IL.OpCodes.Stloc, _remaining);
        _il.LoadArgument(ArgBaseDepth);
        _il.Emit(IL.OpCodes.Stloc, _depth);
        if (_hasCalls)
        {
            _il.Emit(IL.OpCodes.Ldc_I4, StackLayout.MaxCallFrames * SavedFrameSize);
            _il.Emit(IL.OpCodes.Conv_U);
            _il.Emit(IL.OpCodes.Localloc);
            _il.Emit(IL.OpCodes.Stloc, _frames);
            _il.LoadArgument(ArgState);
            _il.Emit(IL.OpCodes.Call, StateGetter(nameof(ExecutionState.CallDepthLimit)));
            _il.Emit(IL.OpCodes.Stloc, _depthLimit);
        }

        // Most runs start at slot 0, the first segment's start; others are charged from their slot to its segment's end.
        _il.LoadArgument(ArgEntrySlot);
        _il.Emit(IL.OpCodes.Brfalse, _check[0]);
        _il.LoadArgument(ArgEntrySlot);
        _il.Emit(IL.OpCodes.Stloc, _target);
        _il.Emit(IL.OpCodes.Br, _dynamicDispatch);
    }

    /// <summary>
    /// A chunk starts from the register file and enters at its entry slot through the dynamic dispatch, which charges
    /// from there to the segment's end (a chunk is entered at a segment start but for entry slots and callx) or
    /// leaves again when the slot is another chunk's.
    /// </summary>
    private void EmitChunkPrologue()
    {
        // Entry slot -1 is the warm-up call (see EmitPrologue).
        var start = _il.DefineLabel("start");
        _il.LoadArgument(ArgEntrySlot);
        _il.Emit(IL.OpCodes.Ldc_I4_0);
        _il.Emit(IL.OpCodes.Bge, start);
        _il.Emit(IL.OpCodes.Ldc_I4_M1);
        _il.Emit(IL.OpCodes.Ret);
        _il.MarkLabel(start);
        _il.Emit(IL.OpCodes.Br, _entryLocals);
        _il.MarkLabel(_entryLocalsDone);
        foreach (var (field, local) in ChangingState())
        {
            LoadFromRegisterFile(field, local);
        }

        if (_hasCalls)
        {
            LoadFromRegisterFile(JitRegisterFile.Field(nameof(JitRegisterFile.Frames)), _frames);
            LoadFromRegisterFile(JitRegisterFile.Field(nameof(JitRegisterFile.DepthLimit)), _depthLimit);
        }

        _il.LoadArgument(ArgEntrySlot);
        _il.Emit(IL.OpCodes.Stloc, _target);
        _il.Emit(IL.OpCodes.Br, _dynamicDispatch);
    }

    /// <summary>Leaves a chunk for the slot in <see cref="_target"/> (-1: the program returned r0): stores what changes.</summary>
    private void EmitLeave()
    {
        _il.MarkLabel(_leave);
        foreach (var (field, local) in ChangingState())
        {
            StoreToRegisterFile(field, local);
        }

        _il.Emit(IL.OpCodes.Ldloc, _target);
        _il.Emit(IL.OpCodes.Ret);
    }

    /// <summary>
    /// The locals a run changes and a chunk therefore loads on entry and stores on leaving, each with its register-file
    /// field (the frame table and depth limit only need loading).
    /// </summary>
    private IEnumerable<(FieldInfo Field, IL.LocalBuilder Local)> ChangingState()
    {
        for (var i = 0; i < _r.Length; i++)
        {
            yield return (JitRegisterFile.RegisterFields[i], _r[i]);
        }

        yield return (JitRegisterFile.Field(nameof(JitRegisterFile.Remaining)), _remaining);
        yield return (JitRegisterFile.Field(nameof(JitRegisterFile.Depth)), _depth);
        if (_checked)
        {
            yield return (JitRegisterFile.Field(nameof(JitRegisterFile.StackLow)), _stackLow);
            yield return (JitRegisterFile.Field(nameof(JitRegisterFile.StackLength)), _stackLength);
        }
    }

    private void LoadFromRegisterFile(FieldInfo field, IL.LocalBuilder local)
    {
        _il.LoadArgument(ArgRegisterFile);
        _il.Emit(IL.OpCodes.Ldfld, field);
        _il.Emit(IL.OpCodes.Stloc, local);
    }

    private void StoreToRegisterFile(FieldInfo field, IL.LocalBuilder local)
    {
        _il.LoadArgument(ArgRegisterFile);
        _il.Emit(IL.OpCodes.Ldloc, local);
        _il.Emit(IL.OpCodes.Stfld, field);
    }

    /// <summary>
    /// The label a jump to <paramref name="slot"/> (a segment start) branches to: its budget charge in this method,
    /// or a stub that leaves for the chunk holding it, which charges on entry.
    /// </summary>
    private IL.Label Leader(int slot)
    {
        if (slot >= _first && slot < _end)
        {
            return _check[slot - _first];
        }

        if (!_exits.TryGetValue(slot, out var exit))
        {
            exit = Cold($"leave_for_{slot}", () =>
            {
                _il.Emit(IL.OpCodes.Ldc_I4, slot);
                _il.Emit(IL.OpCodes.Stloc, _target);
                _il.Emit(IL.OpCodes.Br, _leave);
            });
            _exits[slot] = exit;
        }

        return exit;
    }

    /// <summary>Ends the invocation with the value on the IL stack as its result (a chunk: as r0, leaving with -1).</summary>
    private void EmitReturnTop()
    {
        if (!_isChunk)
        {
            _il.Emit(IL.OpCodes.Ret);
            return;
        }

        StoreRegister(0);
        _il.Emit(IL.OpCodes.Ldc_I4_M1);
        _il.Emit(IL.OpCodes.Stloc, _target);
        _il.Emit(IL.OpCodes.Br, _leave);
    }

    /// <summary>remaining -= charge; fault when it went negative (the fault finds the exact instruction).</summary>
    private void EmitBudgetCharge(int slot, int charge)
    {
        _il.Emit(IL.OpCodes.Ldloc, _remaining);
        _il.Emit(IL.OpCodes.Ldc_I8, (long)charge);
        _il.Emit(IL.OpCodes.Sub);
        _il.Emit(IL.OpCodes.Stloc, _remaining);
        _il.Emit(IL.OpCodes.Ldloc, _remaining);
        _il.Emit(IL.OpCodes.Ldc_I8, 0L);
        _il.Emit(IL.OpCodes.Blt, Cold($"budget_{slot}", () =>
        {
            _il.Emit(IL.OpCodes.Ldc_I4, slot);
            _il.Emit(IL.OpCodes.Stloc, _faultSlot);
            _il.Emit(IL.OpCodes.Ldc_I8, (long)charge);
            _il.Emit(IL.OpCodes.Stloc, _faultCharge);
            _il.Emit(IL.OpCodes.Br, _budgetFault);
        }));
    }

    /// <summary>Jumps to the slot in <see cref="_target"/>, charging from there to the end of its segment.</summary>
    private void EmitDynamicDispatch()
    {
        _il.MarkLabel(_dynamicDispatch);
        if (_isChunk)
        {
            // Another chunk's slot: that chunk charges it.
            _il.Emit(IL.OpCodes.Ldloc, _target);
            _il.Emit(IL.OpCodes.Ldc_I4, _first);
            _il.Emit(IL.OpCodes.Sub);
            _il.Emit(IL.OpCodes.Ldc_I4, _end - _first);
            _il.Emit(IL.OpCodes.Bge_Un, _leave);
        }

        _il.LoadArgument(ArgProgram);
        _il.Emit(IL.OpCodes.Ldfld, typeof(JitProgram).GetField(nameof(JitProgram.Charges), BindingFlags.Instance | BindingFlags.NonPublic)!);
        _il.Emit(IL.OpCodes.Ldloc, _target);
        _il.Emit(IL.OpCodes.Ldelem_I4);
        _il.Emit(IL.OpCodes.Conv_I8);
        _il.Emit(IL.OpCodes.Stloc, _faultCharge);
        _il.Emit(IL.OpCodes.Ldloc, _remaining);
        _il.Emit(IL.OpCodes.Ldloc, _faultCharge);
        _il.Emit(IL.OpCodes.Sub);
        _il.Emit(IL.OpCodes.Stloc, _remaining);
        _il.Emit(IL.OpCodes.Ldloc, _remaining);
        _il.Emit(IL.OpCodes.Ldc_I8, 0L);
        var charged = _il.DefineLabel("dynamic_charged");
        _il.Emit(IL.OpCodes.Bge, charged);
        _il.Emit(IL.OpCodes.Ldloc, _target);
        _il.Emit(IL.OpCodes.Stloc, _faultSlot);
        _il.Emit(IL.OpCodes.Br, _budgetFault);
        _il.MarkLabel(charged);
        _il.Emit(IL.OpCodes.Ldloc, _target);
        if (_isChunk)
        {
            _il.Emit(IL.OpCodes.Ldc_I4, _first);
            _il.Emit(IL.OpCodes.Sub);
            _il.Emit(IL.OpCodes.Switch, _body);
        }
        else
        {
            _il.Emit(IL.OpCodes.Switch, _body[.._program.Length]);
        }

        _il.Emit(IL.OpCodes.Br, _unreachable);
    }

    /// <summary>The exit of a callee: pop the saved frame and continue after the call that pushed it.</summary>
    private void EmitReturnFromCall()
    {
        _il.MarkLabel(_returnFromCall);
        if (!_hasCalls)
        {
            _il.Emit(IL.OpCodes.Br, _unreachable);
            return;
        }

        _il.Emit(IL.OpCodes.Ldloc, _depth);
        _il.Emit(IL.OpCodes.Ldc_I4_1);
        _il.Emit(IL.OpCodes.Sub);
        _il.Emit(IL.OpCodes.Stloc, _depth);
        AdjustStackWindow(grow: false);
        EmitFramePointer();
        for (var i = 0; i < 5; i++)
        {
            _il.Emit(IL.OpCodes.Ldloc, _framePointer);
            if (i > 0)
            {
                _il.Emit(IL.OpCodes.Ldc_I4, i * 8);
                _il.Emit(IL.OpCodes.Add);
            }

            _il.Emit(IL.OpCodes.Ldind_I8);
            StoreRegister(6 + i);
        }

        _il.Emit(IL.OpCodes.Ldloc, _framePointer);
        _il.Emit(IL.OpCodes.Ldc_I4, 40);
        _il.Emit(IL.OpCodes.Add);
        _il.Emit(IL.OpCodes.Ldind_I4);
        if (_isChunk)
        {
            // A chunk saved the return slot, a segment start that may be in any chunk.
            _il.Emit(IL.OpCodes.Stloc, _target);
            _il.Emit(IL.OpCodes.Br, _dynamicDispatch);
            return;
        }

        _il.Emit(IL.OpCodes.Switch, _returnSites.ToArray());
        _il.Emit(IL.OpCodes.Br, _unreachable);
    }

    /// <summary>The run's CPU index per per-CPU map size the body looks up (<see cref="EmitRunCpu"/>), read once per call.</summary>
    private void EmitEntryLocals()
    {
        _il.MarkLabel(_entryLocals);
        foreach (var (possibleCpus, local) in _runCpu)
        {
            _il.Emit(IL.OpCodes.Ldc_I4, possibleCpus);
            _il.Emit(IL.OpCodes.Call, CurrentCpuMethod);
            _il.Emit(IL.OpCodes.Stloc, local);
        }

        _il.Emit(IL.OpCodes.Br, _entryLocalsDone);
    }

    private void EmitBudgetFault()
    {
        _il.MarkLabel(_budgetFault);
        _il.LoadArgument(ArgProgram);
        _il.LoadArgument(ArgState);
        _il.Emit(IL.OpCodes.Ldloc, _faultSlot);
        _il.Emit(IL.OpCodes.Ldloc, _remaining);
        _il.Emit(IL.OpCodes.Ldloc, _faultCharge);
        _il.Emit(IL.OpCodes.Add);
        _il.Emit(IL.OpCodes.Call, typeof(JitProgram).GetMethod(nameof(JitProgram.BudgetFault), BindingFlags.Instance | BindingFlags.NonPublic)!);
        _il.Emit(IL.OpCodes.Throw);
    }

    private void EmitInstruction(int pc, Instruction insn)
    {
        switch (insn.Class)
        {
            case InstructionClass.Alu:
            case InstructionClass.Alu64:
                EmitAlu(insn);
                break;
            case InstructionClass.Ld:
                EmitLd(pc, insn);
                break;
            case InstructionClass.Ldx:
                EmitLdx(pc, insn);
                break;
            case InstructionClass.St:
            case InstructionClass.Stx:
                EmitStore(pc, insn);
                break;
            default:
                EmitJump(pc, insn);
                break;
        }
    }

    // ---- small shared pieces ----

    private void LoadRegister(int register) => _il.Emit(IL.OpCodes.Ldloc, _r[register]);

    private void StoreRegister(int register) => _il.Emit(IL.OpCodes.Stloc, _r[register]);

    /// <summary>Queues a block emitted after the hot code; returns its label.</summary>
    private IL.Label Cold(string name, Action emit)
    {
        var label = _il.DefineLabel(name);
        _cold.Add((label, emit));
        return label;
    }

    /// <summary>Throws a fault whose address is a constant.</summary>
    private void EmitThrowFault(FaultKind kind, int pc, ulong address = 0, int size = 0) =>
        EmitThrowFault(kind, pc, () => _il.Emit(IL.OpCodes.Ldc_I8, (long)address), size);

    private void EmitThrowFault(FaultKind kind, int pc, Action pushAddress, int size)
    {
        _il.Emit(IL.OpCodes.Ldc_I4, (int)kind);
        _il.Emit(IL.OpCodes.Ldc_I4, pc);
        pushAddress();
        _il.Emit(IL.OpCodes.Ldc_I4, size);
        _il.Emit(IL.OpCodes.Call, typeof(JitRuntime).GetMethod(nameof(JitRuntime.Fault))!);
        _il.Emit(IL.OpCodes.Throw);
    }

    /// <summary>frame = frames + depth * SavedFrameSize.</summary>
    private void EmitFramePointer()
    {
        // Saved frames are counted from this invocation's base depth (deeper after a tail call from a subprogram).
        _il.Emit(IL.OpCodes.Ldloc, _frames);
        _il.Emit(IL.OpCodes.Ldloc, _depth);
        _il.LoadArgument(ArgBaseDepth);
        _il.Emit(IL.OpCodes.Sub);
        _il.Emit(IL.OpCodes.Ldc_I4, SavedFrameSize);
        _il.Emit(IL.OpCodes.Mul);
        _il.Emit(IL.OpCodes.Add);
        _il.Emit(IL.OpCodes.Stloc, _framePointer);
    }

    /// <summary>The live stack is frames 0..depth: one frame more or less after a call or return.</summary>
    private void AdjustStackWindow(bool grow)
    {
        if (!_checked)
        {
            return;
        }

        _il.Emit(IL.OpCodes.Ldloc, _stackLow);
        _il.Emit(IL.OpCodes.Ldc_I8, (long)StackLayout.FrameSize);
        _il.Emit(grow ? IL.OpCodes.Sub : IL.OpCodes.Add);
        _il.Emit(IL.OpCodes.Stloc, _stackLow);
        _il.Emit(IL.OpCodes.Ldloc, _stackLength);
        _il.Emit(IL.OpCodes.Ldc_I8, (long)StackLayout.FrameSize);
        _il.Emit(grow ? IL.OpCodes.Add : IL.OpCodes.Sub);
        _il.Emit(IL.OpCodes.Stloc, _stackLength);
    }

    private static MethodInfo StateMethod(string name) => typeof(ExecutionState).GetMethod(name)!;

    private static MethodInfo StateGetter(string name) => typeof(ExecutionState).GetProperty(name)!.GetGetMethod(nonPublic: true)!;

    private static MethodInfo StateSetter(string name) => typeof(ExecutionState).GetProperty(name)!.GetSetMethod(nonPublic: true)!;
}
