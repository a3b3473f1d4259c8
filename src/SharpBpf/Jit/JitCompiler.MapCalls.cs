using System.Reflection;
using SharpBpf.Execution;
using SharpBpf.Helpers;
using SharpBpf.Helpers.BuiltIn;
using SharpBpf.Isa;
using SharpBpf.Maps;
using IL = System.Reflection.Emit;

namespace SharpBpf.Jit;

/// <summary>
/// Map helper calls whose map is known when the program is compiled (r1 set by an <c>lddw</c> of a map handle just
/// before the call), as the kernel resolves ld_imm64 to the map at load: lookup, update and delete call the map
/// directly, and a lookup in a plain ARRAY is inlined as the kernel's map_gen_lookup (bounds check and address
/// arithmetic). The guess is checked at run time (r1 equals the handle, the map is not disposed), and anything else
/// takes the ordinary helper call, so how control reached the call does not matter. Where the verifier proved r1 is
/// that map on every path (<see cref="ProvenAccesses.KnownMapAt"/>) only the disposed test remains. Results and faults are those of
/// <see cref="MapHelpers"/>; so are the regions a lookup exposes, except that an inlined ARRAY lookup in a proven
/// program registers nothing: the array's storage (or a hash map's preallocated elements) is recognised by every check
/// instead (see EmitDirectLookup).
/// </summary>
internal sealed partial class JitCompiler
{
    private readonly List<BpfMap> _inlinedMaps = [];

    /// <summary>The method being emitted's locals caching the run's CPU, by possible-CPU count (see EmitRunCpu).</summary>
    private readonly Dictionary<int, IL.LocalBuilder> _runCpu = [];

    private static readonly MethodInfo CheckAccessMethod = typeof(ExecutionState).GetMethod(nameof(ExecutionState.CheckAccess))!;
    private static readonly MethodInfo ExposeMethod = typeof(JitRuntime).GetMethod(nameof(JitRuntime.ExposeMapValue))!;
    private static readonly MethodInfo CurrentCpuMethod = typeof(JitRuntime).GetMethod(nameof(JitRuntime.CurrentCpu))!;

    /// <summary>Emits the direct form of a map helper call at <paramref name="pc"/>, with the general call as fallback; false when it does not apply.</summary>
    private bool TryEmitDirectMapCall(int pc, Instruction insn, HelperFunction helper)
    {
        var id = (HelperId)insn.Immediate;
        if (id is not (HelperId.MapLookupElem or HelperId.MapUpdateElem or HelperId.MapDeleteElem)
            || helper.Target is not MapHelpers { ResolvesHandlesDirectly: true }
            || helper.Method.Name != id switch
            {
                HelperId.MapLookupElem => nameof(MapHelpers.Lookup),
                HelperId.MapUpdateElem => nameof(MapHelpers.Update),
                _ => nameof(MapHelpers.Delete),
            }
            || KnownOrGuessedMap(pc) is not ({ } map, var known))
        {
            return false;
        }

        var done = _il.DefineLabel($"map_call_done_{pc}");
        var site = _callSiteHelpers.Count;
        _callSiteHelpers.Add(helper);
        // The general call is a cold block after the program: the .NET JIT then keeps the hot path's values in
        // registers instead of spilling them around a call that (almost) never happens.
        var general = Cold($"map_call_general_{pc}", () =>
        {
            LoadCallSiteHelper(site);
            EmitInvokeHelper(pc);
            _il.Emit(IL.OpCodes.Br, done);
        });
        var mapIndex = _inlinedMaps.Count;
        _inlinedMaps.Add(map);

        if (!known)
        {
            LoadRegister(1);
            _il.Emit(IL.OpCodes.Ldc_I8, (long)map.Handle);
            _il.Emit(IL.OpCodes.Bne_Un, general);
        }

        // The map object outlives this code (InlinedMaps holds it), and so does its pinned disposed flag: one load.
        _il.Emit(IL.OpCodes.Ldc_I8, (long)map.DisposedFlagAddress);
        _il.Emit(IL.OpCodes.Conv_I);
        _il.Emit(IL.OpCodes.Volatile);
        _il.Emit(IL.OpCodes.Ldind_I4);
        _il.Emit(IL.OpCodes.Brtrue, general);
        if (!(id == HelperId.MapLookupElem && map is ArrayMap))
        {
            LoadInlinedMap(mapIndex);
            _il.Emit(IL.OpCodes.Stloc, _map);
        }

        // The helper's pointer checks, in its order: key, then value (update).
        EmitCheckHelperMemory(pc, 2, map.KeySize, MemoryAccess.Read);
        switch (id)
        {
            case HelperId.MapLookupElem:
                EmitDirectLookup(map);
                break;
            case HelperId.MapUpdateElem:
                EmitCheckHelperMemory(pc, 3, map.ValueSize, MemoryAccess.Read);
                _il.Emit(IL.OpCodes.Ldloc, _map);
                LoadRegister(2);
                _il.Emit(IL.OpCodes.Conv_I);
                LoadRegister(3);
                _il.Emit(IL.OpCodes.Conv_I);
                LoadRegister(4);
                _il.Emit(IL.OpCodes.Callvirt, typeof(BpfMap).GetMethod(nameof(BpfMap.UpdateElem), BindingFlags.Instance | BindingFlags.NonPublic)!);
                StoreRegister(0);
                break;
            default:
                _il.Emit(IL.OpCodes.Ldloc, _map);
                LoadRegister(2);
                _il.Emit(IL.OpCodes.Conv_I);
                _il.Emit(IL.OpCodes.Callvirt, typeof(BpfMap).GetMethod(nameof(BpfMap.DeleteElem), BindingFlags.Instance | BindingFlags.NonPublic)!);
                StoreRegister(0);
                break;
        }

        _il.MarkLabel(done);
        return true;
    }

    /// <summary>
    /// bpf_for_each_map_elem over an array known at compile time (r1 loaded by an <c>lddw</c> of its handle) in a proven
    /// program: the array's values are recognised as for an inlined lookup, so the helper adds no region per element
    /// (<see cref="HelperCallContext.RecognizesValuesOf"/>). Another map at run time still gets its regions.
    /// </summary>
    private void RecognizeForEachMap(int pc, Instruction insn, HelperFunction helper)
    {
        if ((HelperId)insn.Immediate == HelperId.ForEachMapElem && helper.Target is LoopHelpers && _owner.Proofs is not null
            && ConstantBefore(pc, 1) is { } handle && BpfMap.FromHandle((nint)handle) is ArrayMap array)
        {
            _owner.RecognizeMapValues(array, MapHelpers.ValueAccess(array));
        }
    }

    /// <summary>r0 = the value's address or 0; a found value becomes a region of the run, as the helper's Expose does.</summary>
    private void EmitDirectLookup(BpfMap map)
    {
        if (map is ArrayMap array)
        {
            // map_gen_lookup: index = *(u32 *)key; index < max_entries ? base + index * stride : 0 (per-CPU: plus
            // the run's CPU times the per-CPU slot, as the kernel's percpu_array_map_gen_lookup adds this CPU's offset).
            var missing = _il.DefineLabel("array_missing");
            var found = _il.DefineLabel("array_found");
            LoadRegister(2);
            _il.Emit(IL.OpCodes.Conv_I);
            _il.Emit(IL.OpCodes.Ldind_U4);
            _il.Emit(IL.OpCodes.Conv_U8);
            _il.Emit(IL.OpCodes.Stloc, _value);
            _il.Emit(IL.OpCodes.Ldloc, _value);
            _il.Emit(IL.OpCodes.Ldc_I8, (long)array.MaxEntries);
            _il.Emit(IL.OpCodes.Bge_Un, missing);
            _il.Emit(IL.OpCodes.Ldc_I8, (long)array.ValuesBase);
            _il.Emit(IL.OpCodes.Ldloc, _value);
            _il.Emit(IL.OpCodes.Ldc_I8, (long)array.ElementStride);
            _il.Emit(IL.OpCodes.Mul);
            _il.Emit(IL.OpCodes.Add);
            if (array.IsPerCpu)
            {
                EmitRunCpu(array.PossibleCpus);
                _il.Emit(IL.OpCodes.Conv_I8);
                _il.Emit(IL.OpCodes.Ldc_I8, (long)array.PerCpuStride);
                _il.Emit(IL.OpCodes.Mul);
                _il.Emit(IL.OpCodes.Add);
            }

            StoreRegister(0);
            _il.Emit(IL.OpCodes.Br, found);
            _il.MarkLabel(missing);
            _il.Emit(IL.OpCodes.Ldc_I8, 0L);
            StoreRegister(0);
            _il.MarkLabel(found);
        }
        else
        {
            _il.Emit(IL.OpCodes.Ldloc, _map);
            LoadRegister(2);
            _il.Emit(IL.OpCodes.Conv_I);
            _il.Emit(IL.OpCodes.Callvirt, typeof(BpfMap).GetMethod(nameof(BpfMap.LookupElem), BindingFlags.Instance | BindingFlags.NonPublic)!);
            _il.Emit(IL.OpCodes.Conv_U8);
            StoreRegister(0);
        }

        if (map is HashMap { PreallocatedStorage: { Length: > 0 } storage } && _owner.Proofs is not null)
        {
            // Preallocated elements are recognised as the array's are; only a value outside them (an element
            // allocated when the preallocated ones ran out) is registered.
            _owner.RecognizeMapValues(map, MapHelpers.ValueAccess(map));
            var recognised = _il.DefineLabel("hash_value_recognised");
            LoadRegister(0);
            _il.Emit(IL.OpCodes.Ldc_I8, (long)storage.Start);
            _il.Emit(IL.OpCodes.Sub);
            _il.Emit(IL.OpCodes.Ldc_I8, (long)storage.Length);
            _il.Emit(IL.OpCodes.Blt_Un, recognised);
            EmitExpose(map);
            _il.MarkLabel(recognised);
        }
        else if (map is ArrayMap && _owner.Proofs is not null)
        {
            // A proven program's accesses to the value need no region, and its unproven ones and helper arguments are
            // checked against the array's storage (PreparedProgram.RecognizeMapValues): no work per lookup, as in the kernel.
            _owner.RecognizeMapValues(map, MapHelpers.ValueAccess(map));
        }
        else if (MapHelpers.ReturnsValueMemory(map))
        {
            EmitExpose(map);
        }
    }

    /// <summary>
    /// Pushes the run's CPU index for a per-CPU map of <paramref name="possibleCpus"/> copies: a local the method's
    /// entry fills (<see cref="EmitEntryLocals"/>), so a lookup in a loop reads a register, not a thread static or a
    /// not-read-yet test. A run stays on its CPU; a nested run (a timer callback from a helper) restores the ambient
    /// CPU when it ends.
    /// </summary>
    private void EmitRunCpu(int possibleCpus)
    {
        if (!_runCpu.TryGetValue(possibleCpus, out var local))
        {
            _runCpu[possibleCpus] = local = _il.DeclareLocal(typeof(int), $"cpu_{possibleCpus}");
        }

        _il.Emit(IL.OpCodes.Ldloc, local);
    }

    /// <summary>The found value (r0, may be 0) becomes a region of the run, as the helper's Expose does.</summary>
    private void EmitExpose(BpfMap map)
    {
        _il.LoadArgument(ArgState);
        LoadRegister(0);
        _il.Emit(IL.OpCodes.Ldc_I4, map.ValueSize);
        _il.Emit(IL.OpCodes.Ldc_I4, (int)MapHelpers.ValueAccess(map));
        _il.Emit(IL.OpCodes.Call, ExposeMethod);
    }

    /// <summary>The helper's GetMemory check of a pointer argument the verifier did not prove, faulting at the call.</summary>
    private void EmitCheckHelperMemory(int pc, int register, int size, MemoryAccess access)
    {
        if (!_owner.NeedsArgumentCheck(pc, register) || size == 0 || PointsIntoCurrentFrame(pc, register, size))
        {
            return;
        }

        // A key on the live stack (the usual case) passes the loads' inline window test without a call; the window
        // is never shorter than one frame, so the subtraction cannot wrap for such a size.
        var inStack = _il.DefineLabel($"helper_arg_in_stack_{pc}_{register}");
        if (size <= StackLayout.FrameSize)
        {
            LoadRegister(register);
            EmitBranchIfInStackWindow(size, inStack);
        }

        _il.LoadArgument(ArgState);
        LoadRegister(register);
        _il.Emit(IL.OpCodes.Ldc_I8, (long)size);
        _il.Emit(IL.OpCodes.Ldc_I4, (int)access);
        _il.Emit(IL.OpCodes.Ldc_I4, pc);
        _il.Emit(IL.OpCodes.Ldloc, _depth);
        _il.Emit(IL.OpCodes.Call, CheckAccessMethod);
        _il.MarkLabel(inStack);
    }

    /// <summary>
    /// True when, in a verified program, <paramref name="register"/> at the call at <paramref name="pc"/> is r10 plus a
    /// constant that puts <paramref name="size"/> bytes inside the current frame (the usual <c>r2 = r10; r2 += -4</c>
    /// before a lookup): the check would always pass, as the kernel's JIT knows from the verifier. Only straight-line
    /// code no jump or entry can reach in the middle counts; a verified program enters functions only at their start.
    /// </summary>
    private bool PointsIntoCurrentFrame(int pc, int register, int size)
    {
        if (_owner.Proofs is null)
        {
            return false;
        }

        long offset = 0;
        for (var k = pc - 1; k >= 0 && k >= pc - 16; k--)
        {
            if (_plan.IsLeader[k + 1])
            {
                return false;
            }

            if (k > 0 && _program[k - 1].IsLoadImm64)
            {
                if (_program[k - 1].Dst == register || _plan.IsLeader[k])
                {
                    return false;
                }

                k--;
                continue;
            }

            var insn = _program[k];
            if (insn.Class is InstructionClass.Jmp or InstructionClass.Jmp32
                || (insn.Class == InstructionClass.Stx && insn.Src == register && (insn.Opcode & 0xe0) == 0xc0))
            {
                return false;
            }

            if (insn.Dst != register || insn.Class is not (InstructionClass.Alu or InstructionClass.Alu64 or InstructionClass.Ldx or InstructionClass.Ld))
            {
                continue;
            }

            if (insn.Opcode == Opcodes.Add64Imm)
            {
                offset += insn.Immediate;
                continue;
            }

            return insn.Opcode == Opcodes.Mov64Reg && insn.Src == 10
                && offset >= -StackLayout.FrameSize && offset + size <= 0;
        }

        return false;
    }

    private void LoadInlinedMap(int index)
    {
        _il.LoadArgument(ArgProgram);
        _il.Emit(IL.OpCodes.Ldfld, typeof(JitProgram).GetField(nameof(JitProgram.InlinedMaps), BindingFlags.Instance | BindingFlags.NonPublic)!);
        _il.Emit(IL.OpCodes.Ldc_I4, index);
        _il.Emit(IL.OpCodes.Ldelem_Ref);
    }

    /// <summary>
    /// The map r1 holds at the call at <paramref name="pc"/>: proven by the verifier on every path (known: no run-time
    /// comparison), or guessed from a nearby <c>lddw</c> (compared with r1 at run time).
    /// </summary>
    private (BpfMap? Map, bool Known) KnownOrGuessedMap(int pc)
    {
        if (_owner.Proofs?.KnownMapAt(pc) is { } proven)
        {
            return (proven, true);
        }

        return (ConstantBefore(pc, 1) is { } handle ? BpfMap.FromHandle((nint)handle) : null, false);
    }

    /// <summary>
    /// The constant the nearest earlier <c>lddw</c> of <paramref name="register"/> in straight-line code before
    /// <paramref name="pc"/> loads, or null. Only a guess (control may arrive from elsewhere): the emitted code
    /// compares the register with it.
    /// </summary>
    private ulong? ConstantBefore(int pc, byte register)
    {
        for (var k = pc - 1; k >= 0 && k >= pc - 16; k--)
        {
            if (k > 0 && _program[k - 1].IsLoadImm64)
            {
                var first = _program[k - 1];
                if (first.Dst != register) { k--; continue; }
                return first.Src == (byte)LoadImm64Source.Immediate
                    ? (uint)first.Immediate | ((ulong)(uint)_program[k].Immediate << 32)
                    : null;
            }

            var insn = _program[k];
            if (insn.Class is InstructionClass.Jmp or InstructionClass.Jmp32)
            {
                return null;
            }

            var writesRegister = insn.Dst == register && insn.Class is InstructionClass.Alu or InstructionClass.Alu64 or InstructionClass.Ldx or InstructionClass.Ld;
            if (writesRegister || (insn.Class == InstructionClass.Stx && insn.Src == register && (insn.Opcode & 0xe0) == 0xc0))
            {
                return null;
            }
        }

        return null;
    }
}
