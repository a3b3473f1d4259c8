using SharpBpf.Execution;
using SharpBpf.Helpers;
using SharpBpf.Isa;
using IL = System.Reflection.Emit;

namespace SharpBpf.Jit;

/// <summary>
/// Loads, stores, atomics and legacy packet loads. In checked mode every access first tests the live stack frames
/// inline (one subtraction and compare) and otherwise asks <see cref="ExecutionState.CheckRegions"/>, which faults;
/// atomics then test alignment. Nothing is touched before the checks pass. In proven-unchecked mode an access the
/// verifier proved is emitted as the plain load or store (<see cref="Execution.PreparedProgram.NeedsCheck"/>).
/// </summary>
internal sealed partial class JitCompiler
{
    private void EmitLd(int pc, Instruction insn)
    {
        if (insn.IsLoadImm64)
        {
            EmitLoadImm64(pc, insn);
            return;
        }

        var size = ((AccessSize)(insn.Opcode & 0x18)).Bytes();
        var isIndirect = (insn.Opcode & 0xe0) == (byte)AccessMode.Ind;
        _il.LoadArgument(ArgState);
        _il.Emit(IL.OpCodes.Ldc_I4, size);
        if (isIndirect)
        {
            // ldind: offset = (s32)(src + imm) in 32-bit arithmetic.
            LoadRegister(insn.Src);
            _il.Emit(IL.OpCodes.Conv_U4);
            _il.Emit(IL.OpCodes.Ldc_I4, insn.Immediate);
            _il.Emit(IL.OpCodes.Add);
            _il.Emit(IL.OpCodes.Conv_I8);
        }
        else
        {
            _il.Emit(IL.OpCodes.Ldc_I8, (long)insn.Immediate);
        }

        _il.Emit(IL.OpCodes.Ldc_I4, pc);
        _il.Emit(IL.OpCodes.Call, typeof(JitRuntime).GetMethod(nameof(JitRuntime.LoadPacket))!);
        _il.Emit(IL.OpCodes.Stloc, _value);
        _il.Emit(IL.OpCodes.Ldloc, _value);
        _il.Emit(IL.OpCodes.Ldc_I8, 0L);
        _il.Emit(IL.OpCodes.Blt, Cold($"packet_miss_{pc}", () =>
        {
            // The kernel's rule: an out-of-packet legacy load ends the program with r0 = 0.
            EmitSyncRemaining();
            _il.Emit(IL.OpCodes.Ldc_I8, 0L);
            EmitReturnTop();
        }));
        _il.Emit(IL.OpCodes.Ldloc, _value);
        StoreRegister(0);
    }

    private void EmitLdx(int pc, Instruction insn)
    {
        var size = ((AccessSize)(insn.Opcode & 0x18)).Bytes();
        var signExtend = (insn.Opcode & 0xe0) == (byte)AccessMode.MemSx;
        EmitAddress(insn.Src, insn.Offset);
        EmitCheck(pc, size, MemoryAccess.Read);
        _il.Emit(IL.OpCodes.Ldloc, _address);
        _il.Emit(IL.OpCodes.Conv_U);
        if (size > 1)
        {
            _il.Emit(IL.OpCodes.Unaligned, (byte)1);
        }

        switch (size, signExtend)
        {
            case (1, false): _il.Emit(IL.OpCodes.Ldind_U1); _il.Emit(IL.OpCodes.Conv_U8); break;
            case (2, false): _il.Emit(IL.OpCodes.Ldind_U2); _il.Emit(IL.OpCodes.Conv_U8); break;
            case (4, false): _il.Emit(IL.OpCodes.Ldind_U4); _il.Emit(IL.OpCodes.Conv_U8); break;
            case (1, true): _il.Emit(IL.OpCodes.Ldind_I1); _il.Emit(IL.OpCodes.Conv_I8); break;
            case (2, true): _il.Emit(IL.OpCodes.Ldind_I2); _il.Emit(IL.OpCodes.Conv_I8); break;
            case (4, true): _il.Emit(IL.OpCodes.Ldind_I4); _il.Emit(IL.OpCodes.Conv_I8); break;
            default: _il.Emit(IL.OpCodes.Ldind_I8); break;
        }

        StoreRegister(insn.Dst);
    }

    private void EmitStore(int pc, Instruction insn)
    {
        var size = ((AccessSize)(insn.Opcode & 0x18)).Bytes();
        if ((insn.Opcode & 0xe0) == (byte)AccessMode.Atomic)
        {
            EmitAtomic(pc, insn, size);
            return;
        }

        EmitAddress(insn.Dst, insn.Offset);
        EmitCheck(pc, size, MemoryAccess.Write);
        _il.Emit(IL.OpCodes.Ldloc, _address);
        _il.Emit(IL.OpCodes.Conv_U);
        if (insn.Class == InstructionClass.St)
        {
            // *(dst + off) = imm; the 64-bit store sign-extends the immediate.
            if (size == 8)
            {
                _il.Emit(IL.OpCodes.Ldc_I8, (long)insn.Immediate);
            }
            else
            {
                _il.Emit(IL.OpCodes.Ldc_I4, insn.Immediate);
            }
        }
        else
        {
            LoadRegister(insn.Src);
            if (size != 8)
            {
                _il.Emit(IL.OpCodes.Conv_U4);
            }
        }

        if (size > 1)
        {
            _il.Emit(IL.OpCodes.Unaligned, (byte)1);
        }

        _il.Emit(size switch
        {
            1 => IL.OpCodes.Stind_I1,
            2 => IL.OpCodes.Stind_I2,
            4 => IL.OpCodes.Stind_I4,
            _ => IL.OpCodes.Stind_I8,
        });
    }

    private void EmitAtomic(int pc, Instruction insn, int size)
    {
        var operation = (AtomicOperation)insn.Immediate;
        EmitAddress(insn.Dst, insn.Offset);
        if (_owner.NeedsCheck(pc))
        {
            EmitCheck(pc, size, MemoryAccess.ReadWrite);
            _il.Emit(IL.OpCodes.Ldloc, _address);
            _il.Emit(IL.OpCodes.Conv_I4);
            _il.Emit(IL.OpCodes.Ldc_I4, size - 1);
            _il.Emit(IL.OpCodes.And);
            _il.Emit(IL.OpCodes.Brtrue, Cold($"misaligned_{pc}", () =>
                EmitThrowFault(FaultKind.MisalignedAtomic, pc, () => _il.Emit(IL.OpCodes.Ldloc, _address), size)));
        }

        var name = operation.ToString() + (size == 8 ? "64" : "32");
        _il.Emit(IL.OpCodes.Ldloc, _address);
        LoadRegister(insn.Src);
        if (operation == AtomicOperation.CmpXchg)
        {
            LoadRegister(0);
        }

        var method = typeof(JitAtomics).GetMethod(name)!;
        _il.Emit(IL.OpCodes.Call, method);
        if (method.ReturnType == typeof(ulong))
        {
            StoreRegister(operation == AtomicOperation.CmpXchg ? 0 : insn.Src);
        }
    }

    /// <summary>address = base + (sign-extended) offset, wrapping mod 2^64.</summary>
    private void EmitAddress(int baseRegister, short offset)
    {
        LoadRegister(baseRegister);
        if (offset != 0)
        {
            _il.Emit(IL.OpCodes.Ldc_I8, (long)offset);
            _il.Emit(IL.OpCodes.Add);
        }

        _il.Emit(IL.OpCodes.Stloc, _address);
    }

    /// <summary>Checked mode: [address, address+size) inside the live frames, else inside a region (or fault).</summary>
    /// <summary>
    /// With an address on the IL stack: branches to <paramref name="inStack"/> when [address, +size) lies inside the
    /// live stack window (one unsigned comparison: address - low &lt;= length - size), consuming the address.
    /// </summary>
    private void EmitBranchIfInStackWindow(int size, IL.Label inStack)
    {
        _il.Emit(IL.OpCodes.Ldloc, _stackLow);
        _il.Emit(IL.OpCodes.Sub);
        _il.Emit(IL.OpCodes.Ldloc, _stackLength);
        _il.Emit(IL.OpCodes.Ldc_I8, (long)size);
        _il.Emit(IL.OpCodes.Sub);
        _il.Emit(IL.OpCodes.Ble_Un, inStack);
    }

    private void EmitCheck(int pc, int size, MemoryAccess access)
    {
        if (!_owner.NeedsCheck(pc))
        {
            return;
        }

        var inStack = _il.DefineLabel($"in_stack_{pc}");
        _il.Emit(IL.OpCodes.Ldloc, _address);
        EmitBranchIfInStackWindow(size, inStack);
        _il.LoadArgument(ArgState);
        _il.Emit(IL.OpCodes.Ldloc, _address);
        _il.Emit(IL.OpCodes.Ldc_I8, (long)size);
        _il.Emit(IL.OpCodes.Ldc_I4, (int)access);
        _il.Emit(IL.OpCodes.Ldc_I4, pc);
        _il.Emit(IL.OpCodes.Call, StateMethod(nameof(ExecutionState.CheckRegions)));
        _il.MarkLabel(inStack);
    }

    /// <summary>state.Remaining = remaining (before a helper runs, or when the invocation ends).</summary>
    private void EmitSyncRemaining()
    {
        _il.LoadArgument(ArgState);
        _il.Emit(IL.OpCodes.Ldloc, _remaining);
        _il.Emit(IL.OpCodes.Call, StateSetter(nameof(ExecutionState.Remaining)));
    }
}
