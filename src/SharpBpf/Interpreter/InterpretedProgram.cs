using System.Buffers.Binary;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using SharpBpf.Execution;
using SharpBpf.Helpers;
using SharpBpf.Helpers.Kfuncs;
using SharpBpf.Isa;

namespace SharpBpf.Interpreter;

/// <summary>
/// A program decoded for the interpreter, and the interpreter loop itself. Per-run state lives in locals (registers
/// and saved frames are stackalloc'ed) and in the run's <see cref="ExecutionState"/>, so one instance serves any
/// number of concurrent runs.
/// </summary>
/// <remarks>
/// Order of checks for every instruction: the budget first (the instruction about to run is the one that faults),
/// then the instruction's own faults, before any memory is touched.
/// </remarks>
internal sealed unsafe class InterpretedProgram : PreparedProgram
{
    private readonly DecodedInstruction[] _code;
    private readonly DecodedInstruction* _codeStart;
    private readonly HelperFunction?[] _callSiteHelpers;
    private readonly int _length;

    public InterpretedProgram(ReadOnlySpan<Instruction> program, EngineOptions options)
        : base(program, options)
    {
        var helperIds = new List<int>();
        _code = Decoder.Decode(program, helperIds, NeedsCheck);
        _codeStart = (DecodedInstruction*)Unsafe.AsPointer(ref _code[0]);
        _length = program.Length;
        _callSiteHelpers = new HelperFunction?[helperIds.Count];
        for (var i = 0; i < helperIds.Count; i++)
        {
            _callSiteHelpers[i] = TryGetHelper((ulong)helperIds[i], out var helper) ? helper : null;
        }
    }

    protected internal override ulong ExecuteFunction(ExecutionState state, int entrySlot, int depth, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        // Proven-unchecked runs the checked loop: its proven accesses were decoded to variants without the check.
        var result = Mode != ExecutionMode.Unchecked
            ? Loop<CheckedMode>(state, entrySlot, depth, r1, r2, r3, r4, r5)
            : Loop<UncheckedMode>(state, entrySlot, depth, r1, r2, r3, r4, r5);
        GC.KeepAlive(_code);
        return result;
    }

    private int Pc(DecodedInstruction* ip) => (int)(ip - _codeStart);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Check<TMode>(ExecutionState state, ulong address, uint size, MemoryAccess access,
        ulong stackLow, ulong stackLength, int pc)
        where TMode : struct, IExecutionMode
    {
        if (TMode.IsChecked && address - stackLow > stackLength - size)
        {
            state.CheckRegions(address, size, access, pc);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CheckAtomic<TMode>(ExecutionState state, ulong address, uint size,
        ulong stackLow, ulong stackLength, int pc)
        where TMode : struct, IExecutionMode
    {
        if (TMode.IsChecked)
        {
            Check<TMode>(state, address, size, MemoryAccess.ReadWrite, stackLow, stackLength, pc);
            if ((address & (size - 1)) != 0)
            {
                FaultThrow.Fault(FaultKind.MisalignedAtomic, pc, address, (int)size);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private ulong Loop<TMode>(ExecutionState state, int entrySlot, int baseDepth, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
        where TMode : struct, IExecutionMode
    {
        var r = stackalloc ulong[16];
        r[1] = r1;
        r[2] = r2;
        r[3] = r3;
        r[4] = r4;
        r[5] = r5;
        r[10] = state.FrameTop(baseDepth);
        // This invocation saves at most 8 frames, from its base depth on (deeper after a tail call from a subprogram).
        CallFrame* savedFrames = stackalloc CallFrame[StackLayout.MaxCallFrames];
        var frames = savedFrames - baseDepth;
        var depthLimit = state.CallDepthLimit;
        var helpers = _callSiteHelpers;
        var ip = _codeStart + entrySlot;
        var depth = baseDepth;
        var stackLow = state.StackLow(depth);
        var stackLength = state.StackTop - stackLow;
        var remaining = state.Remaining;
        int callTarget;
        HelperFunction? helper;

        while (true)
        {
            if (--remaining < 0)
            {
                state.Remaining = 0;
                FaultThrow.BudgetExhausted(Pc(ip));
            }

            switch (ip->Op)
            {
                // ---- ALU64 ----
                case Op.Add64Imm: r[ip->Dst] += ip->Imm; break;
                case Op.Add64Reg: r[ip->Dst] += r[ip->Src]; break;
                case Op.Sub64Imm: r[ip->Dst] -= ip->Imm; break;
                case Op.Sub64Reg: r[ip->Dst] -= r[ip->Src]; break;
                case Op.Mul64Imm: r[ip->Dst] *= ip->Imm; break;
                case Op.Mul64Reg: r[ip->Dst] *= r[ip->Src]; break;
                case Op.Div64Imm: r[ip->Dst] = Division.Div64(r[ip->Dst], ip->Imm); break;
                case Op.Div64Reg: r[ip->Dst] = Division.Div64(r[ip->Dst], r[ip->Src]); break;
                case Op.Sdiv64Imm: r[ip->Dst] = Division.Sdiv64(r[ip->Dst], ip->Imm); break;
                case Op.Sdiv64Reg: r[ip->Dst] = Division.Sdiv64(r[ip->Dst], r[ip->Src]); break;
                case Op.Or64Imm: r[ip->Dst] |= ip->Imm; break;
                case Op.Or64Reg: r[ip->Dst] |= r[ip->Src]; break;
                case Op.And64Imm: r[ip->Dst] &= ip->Imm; break;
                case Op.And64Reg: r[ip->Dst] &= r[ip->Src]; break;
                case Op.Lsh64Imm: r[ip->Dst] <<= (int)(ip->Imm & 63); break;
                case Op.Lsh64Reg: r[ip->Dst] <<= (int)(r[ip->Src] & 63); break;
                case Op.Rsh64Imm: r[ip->Dst] >>= (int)(ip->Imm & 63); break;
                case Op.Rsh64Reg: r[ip->Dst] >>= (int)(r[ip->Src] & 63); break;
                case Op.Mod64Imm: r[ip->Dst] = Division.Mod64(r[ip->Dst], ip->Imm); break;
                case Op.Mod64Reg: r[ip->Dst] = Division.Mod64(r[ip->Dst], r[ip->Src]); break;
                case Op.Smod64Imm: r[ip->Dst] = Division.Smod64(r[ip->Dst], ip->Imm); break;
                case Op.Smod64Reg: r[ip->Dst] = Division.Smod64(r[ip->Dst], r[ip->Src]); break;
                case Op.Xor64Imm: r[ip->Dst] ^= ip->Imm; break;
                case Op.Xor64Reg: r[ip->Dst] ^= r[ip->Src]; break;
                case Op.Mov64Imm: r[ip->Dst] = ip->Imm; break;
                case Op.Mov64Reg: r[ip->Dst] = r[ip->Src]; break;
                case Op.Movsx8To64: r[ip->Dst] = (ulong)(sbyte)r[ip->Src]; break;
                case Op.Movsx16To64: r[ip->Dst] = (ulong)(short)r[ip->Src]; break;
                case Op.Movsx32To64: r[ip->Dst] = (ulong)(int)r[ip->Src]; break;
                case Op.Arsh64Imm: r[ip->Dst] = (ulong)((long)r[ip->Dst] >> (int)(ip->Imm & 63)); break;
                case Op.Arsh64Reg: r[ip->Dst] = (ulong)((long)r[ip->Dst] >> (int)(r[ip->Src] & 63)); break;
                case Op.Neg64: r[ip->Dst] = 0UL - r[ip->Dst]; break;

                // ---- ALU32: operate on the low halves, zero-extend the result ----
                case Op.Add32Imm: r[ip->Dst] = (uint)r[ip->Dst] + (uint)ip->Imm; break;
                case Op.Add32Reg: r[ip->Dst] = (uint)r[ip->Dst] + (uint)r[ip->Src]; break;
                case Op.Sub32Imm: r[ip->Dst] = (uint)r[ip->Dst] - (uint)ip->Imm; break;
                case Op.Sub32Reg: r[ip->Dst] = (uint)r[ip->Dst] - (uint)r[ip->Src]; break;
                case Op.Mul32Imm: r[ip->Dst] = (uint)r[ip->Dst] * (uint)ip->Imm; break;
                case Op.Mul32Reg: r[ip->Dst] = (uint)r[ip->Dst] * (uint)r[ip->Src]; break;
                case Op.Div32Imm: r[ip->Dst] = Division.Div32((uint)r[ip->Dst], (uint)ip->Imm); break;
                case Op.Div32Reg: r[ip->Dst] = Division.Div32((uint)r[ip->Dst], (uint)r[ip->Src]); break;
                case Op.Sdiv32Imm: r[ip->Dst] = Division.Sdiv32((uint)r[ip->Dst], (uint)ip->Imm); break;
                case Op.Sdiv32Reg: r[ip->Dst] = Division.Sdiv32((uint)r[ip->Dst], (uint)r[ip->Src]); break;
                case Op.Or32Imm: r[ip->Dst] = (uint)r[ip->Dst] | (uint)ip->Imm; break;
                case Op.Or32Reg: r[ip->Dst] = (uint)r[ip->Dst] | (uint)r[ip->Src]; break;
                case Op.And32Imm: r[ip->Dst] = (uint)r[ip->Dst] & (uint)ip->Imm; break;
                case Op.And32Reg: r[ip->Dst] = (uint)r[ip->Dst] & (uint)r[ip->Src]; break;
                case Op.Lsh32Imm: r[ip->Dst] = (uint)r[ip->Dst] << (int)(ip->Imm & 31); break;
                case Op.Lsh32Reg: r[ip->Dst] = (uint)r[ip->Dst] << (int)(r[ip->Src] & 31); break;
                case Op.Rsh32Imm: r[ip->Dst] = (uint)r[ip->Dst] >> (int)(ip->Imm & 31); break;
                case Op.Rsh32Reg: r[ip->Dst] = (uint)r[ip->Dst] >> (int)(r[ip->Src] & 31); break;
                case Op.Mod32Imm: r[ip->Dst] = Division.Mod32((uint)r[ip->Dst], (uint)ip->Imm); break;
                case Op.Mod32Reg: r[ip->Dst] = Division.Mod32((uint)r[ip->Dst], (uint)r[ip->Src]); break;
                case Op.Smod32Imm: r[ip->Dst] = Division.Smod32((uint)r[ip->Dst], (uint)ip->Imm); break;
                case Op.Smod32Reg: r[ip->Dst] = Division.Smod32((uint)r[ip->Dst], (uint)r[ip->Src]); break;
                case Op.Xor32Imm: r[ip->Dst] = (uint)r[ip->Dst] ^ (uint)ip->Imm; break;
                case Op.Xor32Reg: r[ip->Dst] = (uint)r[ip->Dst] ^ (uint)r[ip->Src]; break;
                case Op.Mov32Imm: r[ip->Dst] = (uint)ip->Imm; break;
                case Op.Mov32Reg: r[ip->Dst] = (uint)r[ip->Src]; break;
                case Op.Movsx8To32: r[ip->Dst] = (uint)(int)(sbyte)r[ip->Src]; break;
                case Op.Movsx16To32: r[ip->Dst] = (uint)(int)(short)r[ip->Src]; break;
                case Op.Arsh32Imm: r[ip->Dst] = (uint)((int)r[ip->Dst] >> (int)(ip->Imm & 31)); break;
                case Op.Arsh32Reg: r[ip->Dst] = (uint)((int)r[ip->Dst] >> (int)(r[ip->Src] & 31)); break;
                case Op.Neg32: r[ip->Dst] = 0U - (uint)r[ip->Dst]; break;

                // ---- byte order (little-endian host: "le" truncates, "be" and bswap swap) ----
                case Op.Le16: r[ip->Dst] = (ushort)r[ip->Dst]; break;
                case Op.Le32: r[ip->Dst] = (uint)r[ip->Dst]; break;
                case Op.Le64: break;
                case Op.Swap16: r[ip->Dst] = BinaryPrimitives.ReverseEndianness((ushort)r[ip->Dst]); break;
                case Op.Swap32: r[ip->Dst] = BinaryPrimitives.ReverseEndianness((uint)r[ip->Dst]); break;
                case Op.Swap64: r[ip->Dst] = BinaryPrimitives.ReverseEndianness(r[ip->Dst]); break;

                // ---- 64-bit immediate and legacy packet loads ----
                case Op.Lddw:
                    r[ip->Dst] = ip->Imm;
                    ip += 2;
                    continue;
                case Op.LdAbsB:
                case Op.LdAbsH:
                case Op.LdAbsW:
                case Op.LdIndB:
                case Op.LdIndH:
                case Op.LdIndW:
                    if (!LoadPacket(state, ip, r, Pc(ip)))
                    {
                        // The kernel ends the program with r0 = 0 when a legacy packet load is out of bounds.
                        state.Remaining = remaining;
                        return 0;
                    }

                    break;

                // ---- loads: dst = *(src + off) ----
                case Op.LdxB:
                {
                    var a = r[ip->Src] + ip->Imm;
                    Check<TMode>(state, a, 1, MemoryAccess.Read, stackLow, stackLength, Pc(ip));
                    r[ip->Dst] = *(byte*)a;
                    break;
                }
                case Op.LdxH:
                {
                    var a = r[ip->Src] + ip->Imm;
                    Check<TMode>(state, a, 2, MemoryAccess.Read, stackLow, stackLength, Pc(ip));
                    r[ip->Dst] = Unsafe.ReadUnaligned<ushort>((void*)a);
                    break;
                }
                case Op.LdxW:
                {
                    var a = r[ip->Src] + ip->Imm;
                    Check<TMode>(state, a, 4, MemoryAccess.Read, stackLow, stackLength, Pc(ip));
                    r[ip->Dst] = Unsafe.ReadUnaligned<uint>((void*)a);
                    break;
                }
                case Op.LdxDw:
                {
                    var a = r[ip->Src] + ip->Imm;
                    Check<TMode>(state, a, 8, MemoryAccess.Read, stackLow, stackLength, Pc(ip));
                    r[ip->Dst] = Unsafe.ReadUnaligned<ulong>((void*)a);
                    break;
                }
                case Op.LdxsB:
                {
                    var a = r[ip->Src] + ip->Imm;
                    Check<TMode>(state, a, 1, MemoryAccess.Read, stackLow, stackLength, Pc(ip));
                    r[ip->Dst] = (ulong)*(sbyte*)a;
                    break;
                }
                case Op.LdxsH:
                {
                    var a = r[ip->Src] + ip->Imm;
                    Check<TMode>(state, a, 2, MemoryAccess.Read, stackLow, stackLength, Pc(ip));
                    r[ip->Dst] = (ulong)Unsafe.ReadUnaligned<short>((void*)a);
                    break;
                }
                case Op.LdxsW:
                {
                    var a = r[ip->Src] + ip->Imm;
                    Check<TMode>(state, a, 4, MemoryAccess.Read, stackLow, stackLength, Pc(ip));
                    r[ip->Dst] = (ulong)Unsafe.ReadUnaligned<int>((void*)a);
                    break;
                }

                // ---- stores: *(dst + off) = imm ----
                case Op.StB:
                {
                    var a = r[ip->Dst] + ip->Imm;
                    Check<TMode>(state, a, 1, MemoryAccess.Write, stackLow, stackLength, Pc(ip));
                    *(byte*)a = (byte)ip->Target;
                    break;
                }
                case Op.StH:
                {
                    var a = r[ip->Dst] + ip->Imm;
                    Check<TMode>(state, a, 2, MemoryAccess.Write, stackLow, stackLength, Pc(ip));
                    Unsafe.WriteUnaligned((void*)a, (ushort)ip->Target);
                    break;
                }
                case Op.StW:
                {
                    var a = r[ip->Dst] + ip->Imm;
                    Check<TMode>(state, a, 4, MemoryAccess.Write, stackLow, stackLength, Pc(ip));
                    Unsafe.WriteUnaligned((void*)a, ip->Target);
                    break;
                }
                case Op.StDw:
                {
                    var a = r[ip->Dst] + ip->Imm;
                    Check<TMode>(state, a, 8, MemoryAccess.Write, stackLow, stackLength, Pc(ip));
                    Unsafe.WriteUnaligned((void*)a, (long)ip->Target);
                    break;
                }

                // ---- stores: *(dst + off) = src ----
                case Op.StxB:
                {
                    var a = r[ip->Dst] + ip->Imm;
                    Check<TMode>(state, a, 1, MemoryAccess.Write, stackLow, stackLength, Pc(ip));
                    *(byte*)a = (byte)r[ip->Src];
                    break;
                }
                case Op.StxH:
                {
                    var a = r[ip->Dst] + ip->Imm;
                    Check<TMode>(state, a, 2, MemoryAccess.Write, stackLow, stackLength, Pc(ip));
                    Unsafe.WriteUnaligned((void*)a, (ushort)r[ip->Src]);
                    break;
                }
                case Op.StxW:
                {
                    var a = r[ip->Dst] + ip->Imm;
                    Check<TMode>(state, a, 4, MemoryAccess.Write, stackLow, stackLength, Pc(ip));
                    Unsafe.WriteUnaligned((void*)a, (uint)r[ip->Src]);
                    break;
                }
                case Op.StxDw:
                {
                    var a = r[ip->Dst] + ip->Imm;
                    Check<TMode>(state, a, 8, MemoryAccess.Write, stackLow, stackLength, Pc(ip));
                    Unsafe.WriteUnaligned((void*)a, r[ip->Src]);
                    break;
                }

                // ---- atomics on *(dst + off) with src (cmpxchg also uses r0) ----
                case Op.AtomicAdd32:
                case Op.AtomicOr32:
                case Op.AtomicAnd32:
                case Op.AtomicXor32:
                case Op.AtomicFetchAdd32:
                case Op.AtomicFetchOr32:
                case Op.AtomicFetchAnd32:
                case Op.AtomicFetchXor32:
                case Op.AtomicXchg32:
                case Op.AtomicCmpXchg32:
                {
                    var a = r[ip->Dst] + ip->Imm;
                    CheckAtomic<TMode>(state, a, 4, stackLow, stackLength, Pc(ip));
                    Atomics.Execute32(ip->Op, (int*)a, r, ip->Src);
                    break;
                }
                case Op.AtomicAdd64:
                case Op.AtomicOr64:
                case Op.AtomicAnd64:
                case Op.AtomicXor64:
                case Op.AtomicFetchAdd64:
                case Op.AtomicFetchOr64:
                case Op.AtomicFetchAnd64:
                case Op.AtomicFetchXor64:
                case Op.AtomicXchg64:
                case Op.AtomicCmpXchg64:
                {
                    var a = r[ip->Dst] + ip->Imm;
                    CheckAtomic<TMode>(state, a, 8, stackLow, stackLength, Pc(ip));
                    Atomics.Execute64(ip->Op, (long*)a, r, ip->Src);
                    break;
                }

                // ---- accesses the verifier proved: no check ----
                case Op.ProvenLdxB: r[ip->Dst] = *(byte*)(r[ip->Src] + ip->Imm); break;
                case Op.ProvenLdxH: r[ip->Dst] = Unsafe.ReadUnaligned<ushort>((void*)(r[ip->Src] + ip->Imm)); break;
                case Op.ProvenLdxW: r[ip->Dst] = Unsafe.ReadUnaligned<uint>((void*)(r[ip->Src] + ip->Imm)); break;
                case Op.ProvenLdxDw: r[ip->Dst] = Unsafe.ReadUnaligned<ulong>((void*)(r[ip->Src] + ip->Imm)); break;
                case Op.ProvenLdxsB: r[ip->Dst] = (ulong)*(sbyte*)(r[ip->Src] + ip->Imm); break;
                case Op.ProvenLdxsH: r[ip->Dst] = (ulong)Unsafe.ReadUnaligned<short>((void*)(r[ip->Src] + ip->Imm)); break;
                case Op.ProvenLdxsW: r[ip->Dst] = (ulong)Unsafe.ReadUnaligned<int>((void*)(r[ip->Src] + ip->Imm)); break;
                case Op.ProvenStB: *(byte*)(r[ip->Dst] + ip->Imm) = (byte)ip->Target; break;
                case Op.ProvenStH: Unsafe.WriteUnaligned((void*)(r[ip->Dst] + ip->Imm), (ushort)ip->Target); break;
                case Op.ProvenStW: Unsafe.WriteUnaligned((void*)(r[ip->Dst] + ip->Imm), ip->Target); break;
                case Op.ProvenStDw: Unsafe.WriteUnaligned((void*)(r[ip->Dst] + ip->Imm), (long)ip->Target); break;
                case Op.ProvenStxB: *(byte*)(r[ip->Dst] + ip->Imm) = (byte)r[ip->Src]; break;
                case Op.ProvenStxH: Unsafe.WriteUnaligned((void*)(r[ip->Dst] + ip->Imm), (ushort)r[ip->Src]); break;
                case Op.ProvenStxW: Unsafe.WriteUnaligned((void*)(r[ip->Dst] + ip->Imm), (uint)r[ip->Src]); break;
                case Op.ProvenStxDw: Unsafe.WriteUnaligned((void*)(r[ip->Dst] + ip->Imm), r[ip->Src]); break;
                case Op.ProvenAtomic32: Atomics.Execute32((Op)ip->Target, (int*)(r[ip->Dst] + ip->Imm), r, ip->Src); break;
                case Op.ProvenAtomic64: Atomics.Execute64((Op)ip->Target, (long*)(r[ip->Dst] + ip->Imm), r, ip->Src); break;

                // ---- jumps ----
                case Op.Ja: ip += ip->Target; continue;
                case Op.MayGoto: ip += state.MayGotoSpent(depth) ? ip->Target : 1; continue;
                case Op.Jeq64Imm: ip += r[ip->Dst] == ip->Imm ? ip->Target : 1; continue;
                case Op.Jeq64Reg: ip += r[ip->Dst] == r[ip->Src] ? ip->Target : 1; continue;
                case Op.Jgt64Imm: ip += r[ip->Dst] > ip->Imm ? ip->Target : 1; continue;
                case Op.Jgt64Reg: ip += r[ip->Dst] > r[ip->Src] ? ip->Target : 1; continue;
                case Op.Jge64Imm: ip += r[ip->Dst] >= ip->Imm ? ip->Target : 1; continue;
                case Op.Jge64Reg: ip += r[ip->Dst] >= r[ip->Src] ? ip->Target : 1; continue;
                case Op.Jset64Imm: ip += (r[ip->Dst] & ip->Imm) != 0 ? ip->Target : 1; continue;
                case Op.Jset64Reg: ip += (r[ip->Dst] & r[ip->Src]) != 0 ? ip->Target : 1; continue;
                case Op.Jne64Imm: ip += r[ip->Dst] != ip->Imm ? ip->Target : 1; continue;
                case Op.Jne64Reg: ip += r[ip->Dst] != r[ip->Src] ? ip->Target : 1; continue;
                case Op.Jsgt64Imm: ip += (long)r[ip->Dst] > (long)ip->Imm ? ip->Target : 1; continue;
                case Op.Jsgt64Reg: ip += (long)r[ip->Dst] > (long)r[ip->Src] ? ip->Target : 1; continue;
                case Op.Jsge64Imm: ip += (long)r[ip->Dst] >= (long)ip->Imm ? ip->Target : 1; continue;
                case Op.Jsge64Reg: ip += (long)r[ip->Dst] >= (long)r[ip->Src] ? ip->Target : 1; continue;
                case Op.Jlt64Imm: ip += r[ip->Dst] < ip->Imm ? ip->Target : 1; continue;
                case Op.Jlt64Reg: ip += r[ip->Dst] < r[ip->Src] ? ip->Target : 1; continue;
                case Op.Jle64Imm: ip += r[ip->Dst] <= ip->Imm ? ip->Target : 1; continue;
                case Op.Jle64Reg: ip += r[ip->Dst] <= r[ip->Src] ? ip->Target : 1; continue;
                case Op.Jslt64Imm: ip += (long)r[ip->Dst] < (long)ip->Imm ? ip->Target : 1; continue;
                case Op.Jslt64Reg: ip += (long)r[ip->Dst] < (long)r[ip->Src] ? ip->Target : 1; continue;
                case Op.Jsle64Imm: ip += (long)r[ip->Dst] <= (long)ip->Imm ? ip->Target : 1; continue;
                case Op.Jsle64Reg: ip += (long)r[ip->Dst] <= (long)r[ip->Src] ? ip->Target : 1; continue;
                case Op.Jeq32Imm: ip += (uint)r[ip->Dst] == (uint)ip->Imm ? ip->Target : 1; continue;
                case Op.Jeq32Reg: ip += (uint)r[ip->Dst] == (uint)r[ip->Src] ? ip->Target : 1; continue;
                case Op.Jgt32Imm: ip += (uint)r[ip->Dst] > (uint)ip->Imm ? ip->Target : 1; continue;
                case Op.Jgt32Reg: ip += (uint)r[ip->Dst] > (uint)r[ip->Src] ? ip->Target : 1; continue;
                case Op.Jge32Imm: ip += (uint)r[ip->Dst] >= (uint)ip->Imm ? ip->Target : 1; continue;
                case Op.Jge32Reg: ip += (uint)r[ip->Dst] >= (uint)r[ip->Src] ? ip->Target : 1; continue;
                case Op.Jset32Imm: ip += ((uint)r[ip->Dst] & (uint)ip->Imm) != 0 ? ip->Target : 1; continue;
                case Op.Jset32Reg: ip += ((uint)r[ip->Dst] & (uint)r[ip->Src]) != 0 ? ip->Target : 1; continue;
                case Op.Jne32Imm: ip += (uint)r[ip->Dst] != (uint)ip->Imm ? ip->Target : 1; continue;
                case Op.Jne32Reg: ip += (uint)r[ip->Dst] != (uint)r[ip->Src] ? ip->Target : 1; continue;
                case Op.Jsgt32Imm: ip += (int)r[ip->Dst] > (int)ip->Imm ? ip->Target : 1; continue;
                case Op.Jsgt32Reg: ip += (int)r[ip->Dst] > (int)r[ip->Src] ? ip->Target : 1; continue;
                case Op.Jsge32Imm: ip += (int)r[ip->Dst] >= (int)ip->Imm ? ip->Target : 1; continue;
                case Op.Jsge32Reg: ip += (int)r[ip->Dst] >= (int)r[ip->Src] ? ip->Target : 1; continue;
                case Op.Jlt32Imm: ip += (uint)r[ip->Dst] < (uint)ip->Imm ? ip->Target : 1; continue;
                case Op.Jlt32Reg: ip += (uint)r[ip->Dst] < (uint)r[ip->Src] ? ip->Target : 1; continue;
                case Op.Jle32Imm: ip += (uint)r[ip->Dst] <= (uint)ip->Imm ? ip->Target : 1; continue;
                case Op.Jle32Reg: ip += (uint)r[ip->Dst] <= (uint)r[ip->Src] ? ip->Target : 1; continue;
                case Op.Jslt32Imm: ip += (int)r[ip->Dst] < (int)ip->Imm ? ip->Target : 1; continue;
                case Op.Jslt32Reg: ip += (int)r[ip->Dst] < (int)r[ip->Src] ? ip->Target : 1; continue;
                case Op.Jsle32Imm: ip += (int)r[ip->Dst] <= (int)ip->Imm ? ip->Target : 1; continue;
                case Op.Jsle32Reg: ip += (int)r[ip->Dst] <= (int)r[ip->Src] ? ip->Target : 1; continue;

                // ---- calls and exit ----
                case Op.CallHelper:
                    helper = helpers[ip->Target];
                    if (helper is null)
                    {
                        FaultThrow.Fault(FaultKind.UnknownHelper, Pc(ip), ip->Imm);
                    }

                    goto CallHelper;
                case Op.CallLocal:
                    callTarget = ip->Target;
                    goto CallLocal;
                case Op.Callx:
                {
                    var value = r[ip->Dst];
                    if (FunctionPointer.TryDecode(value, out callTarget))
                    {
                        if (!IsInstructionStart(callTarget))
                        {
                            FaultThrow.Fault(FaultKind.InvalidCallTarget, Pc(ip), value);
                        }

                        goto CallLocal;
                    }

                    if (!TryGetHelper(value, out helper))
                    {
                        FaultThrow.Fault(FaultKind.UnknownHelper, Pc(ip), value);
                    }

                    goto CallHelper;
                }
                case Op.CallKfunc:
                    helper = KfuncTable.FunctionOf((long)ip->Imm);
                    if (helper is null)
                    {
                        FaultThrow.Fault(FaultKind.UnknownKfunc, Pc(ip), ip->Imm);
                    }

                    goto CallHelper;
                case Op.Exit:
                    goto ReturnFromFunction;

                case Op.FellOffEnd:
                    FaultThrow.Fault(FaultKind.FellOffEnd, Pc(ip));
                    break;
                default:
                    throw new UnreachableException($"interpreter op {ip->Op} at insn {Pc(ip)}");
            }

            ip++;
            continue;

        CallHelper:
            state.Remaining = remaining;
            state.CurrentInstruction = Pc(ip);
            state.CurrentDepth = depth;
            r[0] = helper(state, r[1], r[2], r[3], r[4], r[5]);
            remaining = state.Remaining;
            if (state.PendingTailCall is not null)
            {
                goto TailCall;
            }

            ip++;
            continue;

        TailCall:
            // The target replaces the current function in its frame; its result is this function's exit value. From the
            // function entered here it is left to PreparedProgram.Execute's trampoline (r0 unused), else run now.
            r[0] = state.EnterPendingTailCall(depth, r[1], jump: depth == baseDepth);
            remaining = state.Remaining;
            goto ReturnFromFunction;

        ReturnFromFunction:
            if (depth == baseDepth)
            {
                state.Remaining = remaining;
                return r[0];
            }

            depth--;
            stackLow += StackLayout.FrameSize;
            stackLength -= StackLayout.FrameSize;
            {
                var frame = frames + depth;
                r[6] = frame->R6;
                r[7] = frame->R7;
                r[8] = frame->R8;
                r[9] = frame->R9;
                r[10] = frame->R10;
                ip = frame->ReturnTo;
            }

            continue;

        CallLocal:
            if (depth + 1 >= depthLimit)
            {
                FaultThrow.Fault(FaultKind.CallDepthExceeded, Pc(ip));
            }

            {
                var frame = frames + depth;
                frame->ReturnTo = ip + 1;
                frame->R6 = r[6];
                frame->R7 = r[7];
                frame->R8 = r[8];
                frame->R9 = r[9];
                frame->R10 = r[10];
            }

            depth++;
            stackLow -= StackLayout.FrameSize;
            stackLength += StackLayout.FrameSize;
            r[10] = state.FrameTop(depth);
            if (UsesMayGoto)
            {
                state.ResetMayGoto(depth);
            }

            ip = _codeStart + callTarget;
        }
    }

    /// <summary>Legacy ldabs/ldind: r0 = the big-endian value at packet[offset]; false when out of the packet.</summary>
    private static bool LoadPacket(ExecutionState state, DecodedInstruction* ip, ulong* r, int pc)
    {
        if (state.Packet is not { } packet)
        {
            FaultThrow.Fault(FaultKind.PacketContextRequired, pc);
            return false;
        }

        var isIndirect = ip->Op is Op.LdIndB or Op.LdIndH or Op.LdIndW;
        var offset = isIndirect ? (long)(int)((uint)r[ip->Src] + (uint)ip->Imm) : (long)ip->Imm;
        var size = ip->Op is Op.LdAbsB or Op.LdIndB ? 1 : ip->Op is Op.LdAbsH or Op.LdIndH ? 2 : 4;
        if (offset < 0 || (ulong)offset + (ulong)size > packet.Length)
        {
            return false;
        }

        var p = (byte*)(packet.Start + (ulong)offset);
        r[0] = size switch
        {
            1 => *p,
            2 => BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<ushort>(p)),
            _ => BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<uint>(p)),
        };
        return true;
    }
}
