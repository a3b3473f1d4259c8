using System.Buffers.Binary;
using System.Diagnostics;
using SharpBpf.Execution;
using SharpBpf.Helpers;
using SharpBpf.Isa;
using IL = System.Reflection.Emit;

namespace SharpBpf.Jit;

/// <summary>ALU32/ALU64, byte order and lddw. 32-bit forms work on int32 stack values and zero-extend with conv.u8.</summary>
internal sealed partial class JitCompiler
{
    private void EmitAlu(Instruction insn)
    {
        var is64 = insn.Class == InstructionClass.Alu64;
        var isReg = (insn.Opcode & 0x08) != 0;
        var operation = (AluOperation)(insn.Opcode & 0xf0);
        switch (operation)
        {
            case AluOperation.Add: EmitBinary(insn, is64, isReg, IL.OpCodes.Add); break;
            case AluOperation.Sub: EmitBinary(insn, is64, isReg, IL.OpCodes.Sub); break;
            case AluOperation.Mul: EmitBinary(insn, is64, isReg, IL.OpCodes.Mul); break;
            case AluOperation.Or: EmitBinary(insn, is64, isReg, IL.OpCodes.Or); break;
            case AluOperation.And: EmitBinary(insn, is64, isReg, IL.OpCodes.And); break;
            case AluOperation.Xor: EmitBinary(insn, is64, isReg, IL.OpCodes.Xor); break;
            case AluOperation.Lsh: EmitShift(insn, is64, isReg, IL.OpCodes.Shl); break;
            case AluOperation.Rsh: EmitShift(insn, is64, isReg, IL.OpCodes.Shr_Un); break;
            case AluOperation.Arsh: EmitShift(insn, is64, isReg, IL.OpCodes.Shr); break;
            case AluOperation.Div: EmitDivision(insn, is64, isReg, isModulo: false); break;
            case AluOperation.Mod: EmitDivision(insn, is64, isReg, isModulo: true); break;
            case AluOperation.Neg:
                LoadOperand32Or64(insn.Dst, is64);
                _il.Emit(IL.OpCodes.Neg);
                StoreResult(insn.Dst, is64);
                break;
            case AluOperation.Mov:
                EmitMove(insn, is64, isReg);
                break;
            case AluOperation.End:
                EmitByteOrder(insn);
                break;
            default:
                throw new UnreachableException($"ALU operation {operation} passed validation");
        }
    }

    /// <summary>dst = dst op operand, where operand is src or the immediate (sign-extended for ALU64).</summary>
    private void EmitBinary(Instruction insn, bool is64, bool isReg, IL.OpCode op)
    {
        LoadOperand32Or64(insn.Dst, is64);
        if (isReg)
        {
            LoadOperand32Or64(insn.Src, is64);
        }
        else
        {
            LoadImmediate(insn.Immediate, is64);
        }

        _il.Emit(op);
        StoreResult(insn.Dst, is64);
    }

    /// <summary>Shift counts are masked to 6 (ALU64) or 5 (ALU32) bits, as RFC 9669 says and IL leaves undefined.</summary>
    private void EmitShift(Instruction insn, bool is64, bool isReg, IL.OpCode op)
    {
        var mask = is64 ? 63 : 31;
        LoadOperand32Or64(insn.Dst, is64);
        if (isReg)
        {
            LoadRegister(insn.Src);
            _il.Emit(IL.OpCodes.Conv_I4);
            _il.Emit(IL.OpCodes.Ldc_I4, mask);
            _il.Emit(IL.OpCodes.And);
        }
        else
        {
            _il.Emit(IL.OpCodes.Ldc_I4, insn.Immediate & mask);
        }

        _il.Emit(op);
        StoreResult(insn.Dst, is64);
    }

    /// <summary>
    /// A constant divisor that can neither be 0 nor (signed) -1 compiles to IL div/rem; everything else calls
    /// <see cref="Division"/>, which handles those cases.
    /// </summary>
    private void EmitDivision(Instruction insn, bool is64, bool isReg, bool isModulo)
    {
        var signed = insn.Offset == 1;
        LoadOperand32Or64(insn.Dst, is64);
        if (!isReg && insn.Immediate != 0 && !(signed && insn.Immediate == -1))
        {
            LoadImmediate(insn.Immediate, is64);
            _il.Emit((signed, isModulo) switch
            {
                (false, false) => IL.OpCodes.Div_Un,
                (false, true) => IL.OpCodes.Rem_Un,
                (true, false) => IL.OpCodes.Div,
                (true, true) => IL.OpCodes.Rem,
            });
            StoreResult(insn.Dst, is64);
            return;
        }

        if (isReg)
        {
            LoadOperand32Or64(insn.Src, is64);
        }
        else
        {
            LoadImmediate(insn.Immediate, is64);
        }

        var name = (signed ? "S" : "") + (isModulo ? "mod" : "div") + (is64 ? "64" : "32");
        name = char.ToUpperInvariant(name[0]) + name[1..];
        _il.Emit(IL.OpCodes.Call, typeof(Division).GetMethod(name)!);
        StoreRegister(insn.Dst); // the helpers return the zero-extended register value
    }

    private void EmitMove(Instruction insn, bool is64, bool isReg)
    {
        if (!isReg)
        {
            _il.Emit(IL.OpCodes.Ldc_I8, is64 ? (long)insn.Immediate : (long)(uint)insn.Immediate);
            StoreRegister(insn.Dst);
            return;
        }

        LoadRegister(insn.Src);
        switch (insn.Offset)
        {
            case 0:
                if (!is64)
                {
                    _il.Emit(IL.OpCodes.Conv_U4);
                    _il.Emit(IL.OpCodes.Conv_U8);
                }

                break;
            case 8:
                _il.Emit(IL.OpCodes.Conv_I1);
                _il.Emit(is64 ? IL.OpCodes.Conv_I8 : IL.OpCodes.Conv_U8);
                break;
            case 16:
                _il.Emit(IL.OpCodes.Conv_I2);
                _il.Emit(is64 ? IL.OpCodes.Conv_I8 : IL.OpCodes.Conv_U8);
                break;
            default: // movsx 32 → 64 (ALU64 only)
                _il.Emit(IL.OpCodes.Conv_I4);
                _il.Emit(IL.OpCodes.Conv_I8);
                break;
        }

        StoreRegister(insn.Dst);
    }

    /// <summary>Little-endian host: <c>le</c> truncates, <c>be</c> and <c>bswap</c> swap; results are zero-extended.</summary>
    private void EmitByteOrder(Instruction insn)
    {
        var swap = insn.Opcode != Opcodes.ToLe;
        LoadRegister(insn.Dst);
        switch (insn.Immediate)
        {
            case 16:
                _il.Emit(IL.OpCodes.Conv_U2);
                if (swap)
                {
                    _il.Emit(IL.OpCodes.Call, typeof(BinaryPrimitives).GetMethod(nameof(BinaryPrimitives.ReverseEndianness), [typeof(ushort)])!);
                }

                _il.Emit(IL.OpCodes.Conv_U8);
                break;
            case 32:
                _il.Emit(IL.OpCodes.Conv_U4);
                if (swap)
                {
                    _il.Emit(IL.OpCodes.Call, typeof(BinaryPrimitives).GetMethod(nameof(BinaryPrimitives.ReverseEndianness), [typeof(uint)])!);
                }

                _il.Emit(IL.OpCodes.Conv_U8);
                break;
            default:
                if (swap)
                {
                    _il.Emit(IL.OpCodes.Call, typeof(BinaryPrimitives).GetMethod(nameof(BinaryPrimitives.ReverseEndianness), [typeof(ulong)])!);
                }

                break;
        }

        StoreRegister(insn.Dst);
    }

    private void EmitLoadImm64(int pc, Instruction insn)
    {
        var value = insn.Src == (byte)LoadImm64Source.Function
            ? FunctionPointer.Encode((int)(pc + 1L + insn.Immediate))
            : (uint)insn.Immediate | ((ulong)(uint)_program[pc + 1].Immediate << 32);
        _il.Emit(IL.OpCodes.Ldc_I8, (long)value);
        StoreRegister(insn.Dst);
    }

    /// <summary>The register as int64, or its low half as int32 for 32-bit operations.</summary>
    private void LoadOperand32Or64(int register, bool is64)
    {
        LoadRegister(register);
        if (!is64)
        {
            _il.Emit(IL.OpCodes.Conv_U4);
        }
    }

    private void LoadImmediate(int immediate, bool is64)
    {
        if (is64)
        {
            _il.Emit(IL.OpCodes.Ldc_I8, (long)immediate);
        }
        else
        {
            _il.Emit(IL.OpCodes.Ldc_I4, immediate);
        }
    }

    private void StoreResult(int register, bool is64)
    {
        if (!is64)
        {
            _il.Emit(IL.OpCodes.Conv_U8);
        }

        StoreRegister(register);
    }
}
