using SharpBpf.Isa;
using static SharpBpf.Tests.Soundness.GeneratedWorld;

namespace SharpBpf.Tests.Soundness;

/// <summary>
/// Random XDP programs of the shapes real ones have — stack slots at constant and variable offsets, array, hash and
/// LRU hash lookups with NULL and bounds checks, global functions given stack, map value, packet or NULL memory, packet and metadata reads behind comparisons with data_end, context fields,
/// bounded loops, map updates, helpers writing memory, atomics, global data, branches and arithmetic — with parameters drawn near the
/// edges (an offset one past the proven range, a bound one too wide, a misaligned atomic), so the verifier sees
/// both programs it must accept and neighbours it must refuse.
/// Registers: r6 holds the context throughout; r7–r9 are each block's own.
/// </summary>
internal sealed class RandomProgramGenerator(Random random)
{
    private static readonly int[] Sizes = [1, 2, 4, 8];
    private ProgramBuilder _b = new();
    private readonly List<(int Label, int Size, bool Nullable)> _globals = [];

    public Instruction[] Next()
    {
        _b = new ProgramBuilder();
        _globals.Clear();
        _b.Emit(Opcodes.Mov64Reg, 6, 1);
        _b.Emit(Opcodes.Mov64Imm, 7, imm: 0);
        _b.Emit(Opcodes.Mov64Imm, 8, imm: 0);
        var blocks = random.Next(1, 7);
        for (var i = 0; i < blocks; i++)
        {
            Block(depth: 0);
        }

        _b.Emit(Opcodes.Mov64Reg, 0, 7);
        _b.Emit(Opcodes.And64Imm, 0, imm: 3);
        _b.Emit(Opcodes.Exit);
        foreach (var global in _globals)
        {
            GlobalFunctionBody(global.Label, global.Size, global.Nullable);
        }

        return _b.Build();
    }

    private void Block(int depth)
    {
        switch (random.Next(depth == 0 ? 13 : 10))
        {
            case 12: GlobalCall(); break;
            case 9 when depth > 0: HelperWrite(); break;
            case 0: StackConstant(); break;
            case 1: StackVariable(); break;
            case 2: MapLookup(); break;
            case 3: Packet(); break;
            case 4: PacketVariable(); break;
            case 5: ContextField(); break;
            case 6: GlobalData(); break;
            case 7: Arithmetic(); break;
            case 8: MapUpdate(); break;
            case 9: Loop(); break;
            case 10: HelperWrite(); break;
            default: Branch(depth); break;
        }
    }

    private int Size() => Sizes[random.Next(Sizes.Length)];

    /// <summary>Usually <paramref name="good"/>, sometimes a neighbour on either side.</summary>
    private int Near(int good) => random.Next(24) switch { 0 => good + 1, 1 => good - 1, 2 => good + random.Next(-8, 9), _ => good };

    private static byte Load(int size, bool signed = false) => (size, signed) switch
    {
        (1, false) => Opcodes.LdxB, (2, false) => Opcodes.LdxH, (4, false) => Opcodes.LdxW, (8, _) => Opcodes.LdxDw,
        (1, true) => Opcodes.LdxsB, (2, true) => Opcodes.LdxsH, _ => Opcodes.LdxsW,
    };

    private static byte StoreReg(int size) => size switch { 1 => Opcodes.StxB, 2 => Opcodes.StxH, 4 => Opcodes.StxW, _ => Opcodes.StxDw };

    private static byte StoreImm(int size) => size switch { 1 => Opcodes.StB, 2 => Opcodes.StH, 4 => Opcodes.StW, _ => Opcodes.StDw };

    /// <summary>A load, store or atomic of a random kind through <paramref name="pointer"/> at <paramref name="offset"/>.</summary>
    private void Access(int pointer, int offset, int? size = null)
    {
        var bytes = size ?? Size();
        switch (random.Next(6))
        {
            case 0 or 1: _b.Emit(Load(bytes, random.Next(4) == 0), 7, pointer, offset); break;
            case 2: _b.Emit(StoreImm(bytes), pointer, 0, offset, random.Next(-1000, 1000)); break;
            case 3: _b.Emit(StoreReg(bytes), pointer, 7, offset); break;
            case 4 when bytes >= 4:
                var operation = random.Next(4) switch { 0 => 0x00, 1 => 0x01, 2 => 0xe1, _ => 0x40 }; // add, fetch add, xchg, or
                _b.Emit(bytes == 8 ? Opcodes.AtomicDw : Opcodes.AtomicW, pointer, 7, offset, operation);
                break;
            default: _b.Emit(Load(bytes), 8, pointer, offset); break;
        }
    }

    private void StackConstant()
    {
        var size = Size();
        var offset = -size * random.Next(1, 64 / size + 1);
        Access(10, random.Next(10) == 0 ? Near(offset) : offset, size);
    }

    /// <summary>r8 = fp - base + (scalar masked or compared), then an access through r8.</summary>
    private void StackVariable()
    {
        Scalar(7);
        var skip = _b.NewLabel();
        if (random.Next(2) == 0)
        {
            _b.Emit(Opcodes.And64Imm, 7, imm: Near(random.Next(1, 64)));
        }
        else
        {
            Bound(7, Near(random.Next(1, 64)), skip);
        }

        _b.Emit(Opcodes.Mov64Reg, 8, 10);
        _b.Emit(Opcodes.Add64Imm, 8, imm: -Near(128));
        _b.Emit(Opcodes.Add64Reg, 8, 7);
        Access(8, Near(0));
        _b.Mark(skip);
    }

    /// <summary>r7 becomes an unknown number: a packet byte, a context field, a stack slot or a constant.</summary>
    private void Scalar(int register)
    {
        switch (random.Next(4))
        {
            case 0: _b.Emit(Opcodes.LdxW, register, 6, 12); break;
            case 1: _b.Emit(Opcodes.LdxDw, register, 10, -8 * random.Next(1, 9)); break;
            case 2: _b.Emit(Opcodes.Mov64Imm, register, imm: random.Next(-4, 80)); break;
            default:
                _b.Emit(Opcodes.Mov64Imm, register, imm: random.Next(0, 1 << 20));
                _b.Emit(Opcodes.Mul64Imm, register, imm: random.Next(1, 0x10001));
                break;
        }
    }

    /// <summary>if (reg >= limit) goto skip, in one of the kernel-understood forms (and some it learns less from).</summary>
    private void Bound(int register, int limit, int skip)
    {
        var (opcode, imm) = random.Next(6) switch
        {
            0 => ((byte)(0x05 | 0x30), limit),      // jge reg, limit
            1 => ((byte)(0x05 | 0x20), limit - 1),  // jgt reg, limit-1
            2 => ((byte)(0x06 | 0x30), limit),      // jge32
            3 => ((byte)(0x05 | 0x70), limit),      // jsge (signed: negative values pass)
            4 => ((byte)(0x05 | 0x50), limit),      // jne: proves nothing about the range
            _ => ((byte)(0x05 | 0x30), limit),
        };
        _b.Jump(opcode, register, 0, imm, skip);
        if (opcode == (0x05 | 0x70) && random.Next(2) == 0)
        {
            _b.Jump(0x05 | 0xc0, register, 0, 0, skip); // jslt reg, 0
        }
    }

    /// <summary>One of the lookup maps and its value size: an array, a hash or an LRU hash (atomics on its values are proven aligned too).</summary>
    private (int Map, int ValueSize) LookupMap() => random.Next(3) switch
    {
        0 => (ArrayMap, (int)ArrayValueSize),
        1 => (HashMap, (int)HashValueSize),
        _ => (LruMap, (int)LruValueSize),
    };

    private void MapLookup()
    {
        var (map, valueSize) = LookupMap();
        _b.Emit(Opcodes.StW, 10, 0, -4, random.Next(0, 10));
        _b.Emit(Opcodes.Mov64Reg, 2, 10);
        _b.Emit(Opcodes.Add64Imm, 2, imm: -4);
        _b.LoadImm64(1, 1, map, 0);
        _b.Emit(Opcodes.Call, imm: 1);
        var skip = _b.NewLabel();
        if (random.Next(12) != 0)
        {
            _b.Jump(0x05 | 0x10, 0, 0, 0, skip); // jeq r0, 0
        }

        _b.Emit(Opcodes.Mov64Reg, 9, 0);
        var accesses = random.Next(1, 4);
        for (var i = 0; i < accesses; i++)
        {
            var size = Size();
            Access(9, Near(random.Next(0, valueSize / size) * size), size);
        }

        if (random.Next(2) == 0)
        {
            // A variable index into the value, bounded or masked.
            _b.Emit(Load(random.Next(2) == 0 ? 1 : 4), 8, 9, 0);
            var size = Size();
            if (random.Next(2) == 0)
            {
                _b.Emit(Opcodes.And64Imm, 8, imm: Near(valueSize - size));
            }
            else
            {
                Bound(8, Near(valueSize - size + 1), skip);
            }

            _b.Emit(Opcodes.Add64Reg, 9, 8);
            Access(9, Near(0), size);
        }

        _b.Mark(skip);
    }

    /// <summary>data, data_end (or meta, data); data + n compared with the end; reads and writes at offsets near n.</summary>
    private void Packet()
    {
        var meta = random.Next(5) == 0;
        _b.Emit(Opcodes.LdxW, 2, 6, meta ? 8 : 0);
        _b.Emit(Opcodes.LdxW, 3, 6, meta ? 0 : 4);
        var n = random.Next(0, 40);
        _b.Emit(Opcodes.Mov64Reg, 4, 2);
        _b.Emit(Opcodes.Add64Imm, 4, imm: n);
        var skip = _b.NewLabel();
        ProvePacketRange(4, 3, skip);
        var accesses = random.Next(1, 4);
        for (var i = 0; i < accesses; i++)
        {
            var size = Size();
            Access(2, Near(random.Next(0, Math.Max(1, n - size + 1))), size);
        }

        _b.Mark(skip);
    }

    /// <summary>Leaves the block unless [pointer, end) holds the bytes: one of the forms that prove a range, or one that does not.</summary>
    private void ProvePacketRange(int cursor, int end, int skip)
    {
        switch (random.Next(6))
        {
            case 0: _b.Jump(0x05 | 0x20 | 0x08, cursor, end, 0, skip); break; // jgt cursor, end
            case 1: _b.Jump(0x05 | 0x30 | 0x08, cursor, end, 0, skip); break; // jge cursor, end
            case 2: _b.Jump(0x05 | 0xa0 | 0x08, end, cursor, 0, skip); break; // jlt end, cursor
            case 3: _b.Jump(0x06 | 0x20 | 0x08, cursor, end, 0, skip); break; // jgt32: proves nothing
            case 4: _b.Jump(0x05 | 0x60 | 0x08, cursor, end, 0, skip); break; // jsgt: proves nothing
            default: _b.Jump(0x05 | 0x20 | 0x08, cursor, end, 0, skip); break;
        }
    }

    /// <summary>A cursor moved by a packet byte, proven again, then read.</summary>
    private void PacketVariable()
    {
        _b.Emit(Opcodes.LdxW, 2, 6, 0);
        _b.Emit(Opcodes.LdxW, 3, 6, 4);
        _b.Emit(Opcodes.Mov64Reg, 4, 2);
        _b.Emit(Opcodes.Add64Imm, 4, imm: 1);
        var skip = _b.NewLabel();
        ProvePacketRange(4, 3, skip);
        _b.Emit(Opcodes.LdxB, 5, 2, 0);
        _b.Emit(Opcodes.And64Imm, 5, imm: Near(random.Next(1, 64)));
        _b.Emit(Opcodes.Add64Reg, 2, 5);
        var n = random.Next(1, 16);
        _b.Emit(Opcodes.Mov64Reg, 4, 2);
        _b.Emit(Opcodes.Add64Imm, 4, imm: n);
        ProvePacketRange(4, 3, skip);
        var size = Size();
        Access(2, Near(Math.Max(0, n - size)), size);
        _b.Mark(skip);
    }

    private void ContextField()
    {
        var size = random.Next(3) == 0 ? Size() : 4;
        _b.Emit(Load(size), 7, 6, Near(4 * random.Next(0, 6)));
    }

    private void GlobalData()
    {
        var size = Size();
        var at = random.Next(0, (int)GlobalValueSize / 8) * 8;
        _b.LoadImm64(9, 2, GlobalMap, at);
        Access(9, Near(random.Next(0, ((int)GlobalValueSize - at) / size) * size), size);
    }

    private void Arithmetic()
    {
        var register = random.Next(7, 9);
        var opcode = random.Next(9) switch
        {
            0 => Opcodes.Add64Imm, 1 => Opcodes.Sub64Imm, 2 => Opcodes.Mul64Imm, 3 => Opcodes.And64Imm, 4 => Opcodes.Or64Imm,
            5 => Opcodes.Lsh64Imm, 6 => Opcodes.Rsh64Imm, 7 => Opcodes.Arsh64Imm, _ => Opcodes.Mov32Reg,
        };
        var imm = opcode is Opcodes.Lsh64Imm or Opcodes.Rsh64Imm or Opcodes.Arsh64Imm ? random.Next(0, 64) : random.Next(-300, 300);
        _b.Emit(opcode, register, opcode == Opcodes.Mov32Reg ? register : 0, 0, imm);
    }

    private void MapUpdate()
    {
        var (map, _) = LookupMap();
        _b.Emit(Opcodes.StW, 10, 0, -4, random.Next(0, 10));
        _b.Emit(Opcodes.StDw, 10, 0, -48, random.Next());
        _b.Emit(Opcodes.Mov64Reg, 2, 10);
        _b.Emit(Opcodes.Add64Imm, 2, imm: -4);
        _b.Emit(Opcodes.Mov64Reg, 3, 10);
        _b.Emit(Opcodes.Add64Imm, 3, imm: -Near(48));
        _b.LoadImm64(1, 1, map, 0);
        _b.Emit(Opcodes.Mov64Imm, 4, imm: 0);
        _b.Emit(Opcodes.Call, imm: 2);
    }

    /// <summary>
    /// bpf_xdp_load_bytes(ctx, 0, dst, n): packet bytes into dst — the stack, a map value, or the context (which the
    /// verifier must refuse: random bytes over xdp_md.data_end would void every packet proof after it). n is a
    /// constant or a random number masked near 16 (a variable size: the helper argument's proof must hold for its largest value).
    /// </summary>
    private void HelperWrite()
    {
        bool variableSize = random.Next(2) == 0;
        if (variableSize)
        {
            _b.Emit(Opcodes.Call, imm: 7);
            _b.Emit(Opcodes.Mov64Reg, 7, 0);
            _b.Emit(Opcodes.And64Imm, 7, imm: Near(15));
            _b.Emit(Opcodes.Add64Imm, 7, imm: Near(1));
        }

        switch (random.Next(3))
        {
            case 0: _b.Emit(Opcodes.Mov64Reg, 3, 6); break;
            case 1:
                _b.Emit(Opcodes.Mov64Reg, 3, 10);
                _b.Emit(Opcodes.Add64Imm, 3, imm: -Near(16));
                break;
            default: _b.LoadImm64(3, 2, GlobalMap, 0); break;
        }

        _b.Emit(Opcodes.Mov64Reg, 1, 6);
        _b.Emit(Opcodes.Mov64Imm, 2, imm: 0);
        if (variableSize)
        {
            _b.Emit(Opcodes.Mov64Reg, 4, 7);
        }
        else
        {
            _b.Emit(Opcodes.Mov64Imm, 4, imm: Near(16));
        }

        _b.Emit(Opcodes.Call, imm: 189);
    }

    /// <summary>A counter loop (r9 from 0 below a limit) whose body indexes the stack or a map value with the counter.</summary>
    private void Loop()
    {
        var limit = random.Next(1, 40);
        var head = _b.NewLabel();
        var done = _b.NewLabel();
        _b.Emit(Opcodes.Mov64Imm, 9, imm: 0);
        _b.Mark(head);
        _b.Emit(Opcodes.Mov64Reg, 8, 9);
        switch (random.Next(3))
        {
            case 0:
                // fp - 64 + (i & 7) * 8
                _b.Emit(Opcodes.And64Imm, 8, imm: Near(7));
                _b.Emit(Opcodes.Lsh64Imm, 8, imm: 3);
                _b.Emit(Opcodes.Mov64Reg, 7, 10);
                _b.Emit(Opcodes.Add64Imm, 7, imm: -64);
                _b.Emit(Opcodes.Add64Reg, 7, 8);
                Access(7, 0, 8);
                break;
            case 1:
                // fp - 64 + i, with i bounded by a comparison inside the loop
                Bound(8, Near(64), done);
                _b.Emit(Opcodes.Mov64Reg, 7, 10);
                _b.Emit(Opcodes.Add64Imm, 7, imm: -64);
                _b.Emit(Opcodes.Add64Reg, 7, 8);
                Access(7, 0, 1);
                break;
            default:
                Block(depth: 1);
                break;
        }

        _b.Emit(Opcodes.Add64Imm, 9, imm: 1);
        _b.Jump(0x05 | 0xa0, 9, 0, limit, head); // jlt r9, limit
        _b.Mark(done);
    }

    private void Branch(int depth)
    {
        Scalar(7);
        var over = _b.NewLabel();
        var op = new byte[] { 0x10, 0x20, 0x30, 0x50, 0x60, 0xa0, 0xb0, 0xc0 }[random.Next(8)];
        _b.Jump((byte)((random.Next(3) == 0 ? 0x06 : 0x05) | op), 7, 0, random.Next(-5, 70), over);
        Block(depth + 1);
        _b.Mark(over);
        if (random.Next(2) == 0)
        {
            Block(depth + 1);
        }
    }

    /// <summary>
    /// A call of a global function taking one memory argument of a random size (maybe NULL): r1 is a stack slot, a
    /// looked-up map value, packet bytes behind a data_end check, or NULL — each near the edge of what it must hold.
    /// </summary>
    private void GlobalCall()
    {
        var size = random.Next(1, 9) * 4;
        var nullable = random.Next(3) == 0;
        var function = _b.NewLabel();
        _globals.Add((function, size, nullable));
        var skip = _b.NewLabel();
        switch (random.Next(5))
        {
            case 0 or 1:
                _b.Emit(Opcodes.Mov64Reg, 1, 10);
                _b.Emit(Opcodes.Add64Imm, 1, imm: -Near((size + 7) / 8 * 8 + 8 * random.Next(0, 3)));
                break;
            case 2:
                var (map, _) = LookupMap();
                _b.Emit(Opcodes.StW, 10, 0, -4, random.Next(0, 10));
                _b.Emit(Opcodes.Mov64Reg, 2, 10);
                _b.Emit(Opcodes.Add64Imm, 2, imm: -4);
                _b.LoadImm64(1, 1, map, 0);
                _b.Emit(Opcodes.Call, imm: 1);
                if (!nullable || random.Next(2) == 0)
                {
                    _b.Jump(0x05 | 0x10, 0, 0, 0, skip); // jeq r0, 0
                }

                _b.Emit(Opcodes.Mov64Reg, 1, 0);
                break;
            case 3:
                _b.Emit(Opcodes.LdxW, 1, 6, 0);
                _b.Emit(Opcodes.LdxW, 3, 6, 4);
                _b.Emit(Opcodes.Mov64Reg, 4, 1);
                _b.Emit(Opcodes.Add64Imm, 4, imm: Near(size));
                ProvePacketRange(4, 3, skip);
                break;
            default:
                _b.Emit(Opcodes.Mov64Imm, 1, imm: 0);
                break;
        }

        _b.Call(function);
        _b.Emit(Opcodes.Mov64Reg, 7, 0);
        _b.Mark(skip);
    }

    /// <summary>
    /// The global function: its prototype marker (<see cref="GeneratedWorld.NullableArgument"/>), a NULL check where
    /// the argument may be NULL (sometimes missing), then accesses through r1 at offsets near its size, constant or
    /// bounded by a byte it reads.
    /// </summary>
    private void GlobalFunctionBody(int label, int size, bool nullable)
    {
        _b.Mark(label);
        _b.Emit(Opcodes.Mov64Imm, 0, imm: size | (nullable ? NullableArgument : 0));
        _b.Emit(Opcodes.Mov64Imm, 7, imm: random.Next(-1000, 1000));
        var exit = _b.NewLabel();
        if (nullable && random.Next(12) != 0)
        {
            _b.Jump(0x05 | 0x10, 1, 0, 0, exit); // jeq r1, 0
        }

        var accesses = random.Next(1, 4);
        for (var i = 0; i < accesses; i++)
        {
            var bytes = Size();
            Access(1, Near(random.Next(0, Math.Max(1, size / bytes)) * bytes), bytes);
        }

        if (random.Next(3) == 0)
        {
            var bytes = Size();
            _b.Emit(Opcodes.LdxB, 3, 1, 0);
            _b.Emit(Opcodes.And64Imm, 3, imm: Near(Math.Max(0, size - bytes)));
            _b.Emit(Opcodes.Add64Reg, 1, 3);
            Access(1, Near(0), bytes);
        }

        _b.Mark(exit);
        _b.Emit(Opcodes.Exit);
    }
}
