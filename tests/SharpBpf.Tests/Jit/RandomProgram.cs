using SharpBpf.Isa;

namespace SharpBpf.Tests.Jit;

/// <summary>
/// Builds a structurally valid random program from a stream of random words: a main function and one subprogram,
/// each a random body ended by <c>exit</c>. Bodies mix every ALU row of the opcode table, lddw (also function
/// pointers), loads/stores/atomics off r10, r1 (the buffer) and r3 (its read-only tail) with offsets that are
/// mostly in bounds, forward and backward jumps, helper calls, local calls, callx and legacy packet loads.
/// Values are drawn with a bias towards edge cases (0, -1, INT_MIN, shift widths).
/// </summary>
internal sealed class RandomProgram
{
    public const int BufferSize = 64;
    public const int ReadOnlyTail = 16;

    private static readonly OpcodeInfo[] AluRows = [.. OpcodeTable.All.Where(r => r.Form is InstructionForm.AluImm or InstructionForm.AluReg or InstructionForm.AluUnary or InstructionForm.Endian)];
    private static readonly OpcodeInfo[] LoadRows = [.. OpcodeTable.All.Where(r => r.Form == InstructionForm.Load)];
    private static readonly OpcodeInfo[] StoreRows = [.. OpcodeTable.All.Where(r => r.Form is InstructionForm.StoreImm or InstructionForm.StoreReg)];
    private static readonly OpcodeInfo[] AtomicRows = [.. OpcodeTable.All.Where(r => r.Form == InstructionForm.Atomic)];
    private static readonly OpcodeInfo[] JumpRows = [.. OpcodeTable.All.Where(r => r.Form is InstructionForm.CondJumpImm or InstructionForm.CondJumpReg)];
    private static readonly OpcodeInfo[] PacketRows = [.. OpcodeTable.All.Where(r => r.Form is InstructionForm.LoadPacketAbs or InstructionForm.LoadPacketInd)];

    private static readonly int[] Interesting = [0, 1, -1, 2, 3, 7, 8, 16, 31, 32, 63, 64, 0x7f, 0x80, 0xff, 0xffff, int.MinValue, int.MaxValue, -2, -8];

    private enum Fixup { None, Jump, Ja32, CallSub, FunctionPointerToSub }

    private sealed record Item(Instruction First, Instruction? Second, Fixup Fixup, int Target);

    private readonly uint[] _words;
    private int _next;

    private RandomProgram(uint[] words) => _words = words;

    public static Instruction[] Build(uint[] words) => new RandomProgram(words).Build();

    private uint Next() => _next < _words.Length ? _words[_next++] : (uint)(_next++ * 2654435761u);

    private int Pick(int count) => (int)(Next() % (uint)count);

    private bool Chance(int percent) => Pick(100) < percent;

    private int Immediate() => Chance(60) ? Interesting[Pick(Interesting.Length)] : (int)Next();

    /// <summary>A destination for computed values: mostly r0, r2, r4–r9, so r1, r3 and r10 usually stay pointers.</summary>
    private byte Destination() => Chance(4) ? (byte)(new[] { 1, 3, 10 }[Pick(3)]) : (byte)(new[] { 0, 2, 4, 5, 6, 7, 8, 9 }[Pick(8)]);

    private byte AnyRegister() => (byte)Pick(11);

    private Instruction[] Build()
    {
        var main = Body(Pick(28) + 2);
        var sub = Body(Pick(10) + 1);
        var mainSlots = Layout(main);
        var subStart = mainSlots[^1];
        var subSlots = Layout(sub, subStart);
        var program = new List<Instruction>();
        Emit(program, main, mainSlots, subStart);
        Emit(program, sub, subSlots, subStart);
        return [.. program];
    }

    /// <summary>Slot of each item (and, last, the slot after the function) from <paramref name="start"/>.</summary>
    private static int[] Layout(List<Item> items, int start = 0)
    {
        var slots = new int[items.Count + 1];
        slots[0] = start;
        for (var i = 0; i < items.Count; i++)
        {
            slots[i + 1] = slots[i] + (items[i].Second is null ? 1 : 2);
        }

        return slots;
    }

    private static void Emit(List<Instruction> program, List<Item> items, int[] slots, int subStart)
    {
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var next = slots[i] + 1;
            var insn = item.Fixup switch
            {
                Fixup.Jump => item.First.WithOffset((short)(slots[item.Target] - next)),
                Fixup.Ja32 => item.First.WithImmediate(slots[item.Target] - next),
                Fixup.CallSub or Fixup.FunctionPointerToSub => item.First.WithImmediate(subStart - next),
                _ => item.First,
            };
            program.Add(insn);
            if (item.Second is { } second)
            {
                program.Add(second);
            }
        }
    }

    private List<Item> Body(int count)
    {
        var items = new List<Item>();
        for (var i = 0; i < count; i++)
        {
            AddRandom(items);
        }

        var exit = items.Count;
        items.Add(new Item(new Instruction(Opcodes.Exit, 0, 0, 0, 0), null, Fixup.None, 0));
        return [.. items.Select(item => item.Fixup is Fixup.Jump or Fixup.Ja32 && item.Target > exit ? item with { Target = exit } : item)];
    }

    private void AddRandom(List<Item> items)
    {
        var roll = Pick(100);
        switch (roll)
        {
            case < 40:
                items.Add(Simple(FromRow(AluRows[Pick(AluRows.Length)], Destination())));
                break;
            case < 44:
            {
                var value = Chance(50) ? (ulong)(long)Immediate() : ((ulong)Next() << 32) | Next();
                items.Add(new Item(new Instruction(Opcodes.Lddw, Destination(), 0, 0, (int)(uint)value),
                    new Instruction(0, 0, 0, 0, (int)(uint)(value >> 32)), Fixup.None, 0));
                break;
            }

            case < 54:
            {
                var row = LoadRows[Pick(LoadRows.Length)];
                var (baseRegister, offset) = Address(row.AccessBytes);
                items.Add(Simple(new Instruction(row.Opcode, Destination(), baseRegister, offset, 0)));
                break;
            }

            case < 64:
            {
                var row = StoreRows[Pick(StoreRows.Length)];
                var (baseRegister, offset) = Address(row.AccessBytes);
                items.Add(Simple(new Instruction(row.Opcode, baseRegister, AnyRegister(), offset, row.Immediate.IsOperand ? Immediate() : 0)
                    .WithSrc(row.Src.IsOperand ? AnyRegister() : (byte)row.Src.FixedValue)));
                break;
            }

            case < 69:
            {
                var row = AtomicRows[Pick(AtomicRows.Length)];
                var (baseRegister, offset) = Address(row.AccessBytes);
                if (Chance(85))
                {
                    offset = (short)(offset & ~(row.AccessBytes - 1));
                }

                var src = row.Immediate.FixedValue == (int)AtomicOperation.CmpXchg ? (byte)new[] { 2, 4, 5, 6 }[Pick(4)] : Destination();
                items.Add(Simple(new Instruction(row.Opcode, baseRegister, src, offset, row.Immediate.FixedValue)));
                break;
            }

            case < 82:
            {
                var row = JumpRows[Pick(JumpRows.Length)];
                var insn = new Instruction(row.Opcode, AnyRegister(), row.Src.IsOperand ? AnyRegister() : (byte)0, 0,
                    row.Immediate.IsOperand ? Immediate() : 0);
                items.Add(new Item(insn, null, Fixup.Jump, JumpTarget(items.Count)));
                break;
            }

            case < 85:
                items.Add(Chance(50)
                    ? new Item(new Instruction(Opcodes.Ja, 0, 0, 0, 0), null, Fixup.Jump, JumpTarget(items.Count, forwardOnly: true))
                    : new Item(new Instruction(Opcodes.Ja32, 0, 0, 0, 0), null, Fixup.Ja32, JumpTarget(items.Count, forwardOnly: true)));
                break;
            case < 89:
                // Helper 1 exists, 2 does not.
                items.Add(Simple(new Instruction(Opcodes.Call, 0, 0, 0, Chance(85) ? 1 : 2)));
                break;
            case < 92:
                items.Add(new Item(new Instruction(Opcodes.Call, 0, (byte)CallSource.Local, 0, 0), null, Fixup.CallSub, 0));
                break;
            case < 95:
            {
                var register = (byte)new[] { 4, 5, 6, 7 }[Pick(4)];
                if (Chance(70))
                {
                    items.Add(new Item(new Instruction(Opcodes.Lddw, register, (byte)LoadImm64Source.Function, 0, 0),
                        new Instruction(0, 0, 0, 0, 0), Fixup.FunctionPointerToSub, 0));
                }
                else
                {
                    items.Add(Simple(new Instruction(Opcodes.Mov64Imm, register, 0, 0, Chance(50) ? 1 : Immediate())));
                }

                items.Add(Simple(new Instruction(Opcodes.Callx, register, 0, 0, 0)));
                break;
            }

            case < 97:
            {
                var row = PacketRows[Pick(PacketRows.Length)];
                items.Add(Simple(new Instruction(row.Opcode, row.Dst.IsOperand ? (byte)0 : (byte)row.Dst.FixedValue, row.Src.IsOperand ? AnyRegister() : (byte)0, 0, Pick(40) - 4)));
                break;
            }

            default:
                // Helper 3 calls back into the subprogram through the function pointer in r1 (when it is one).
                items.Add(new Item(new Instruction(Opcodes.Lddw, 1, (byte)LoadImm64Source.Function, 0, 0),
                    new Instruction(0, 0, 0, 0, 0), Fixup.FunctionPointerToSub, 0));
                items.Add(Simple(new Instruction(Opcodes.Call, 0, 0, 0, 3)));
                break;
        }
    }

    private static Item Simple(Instruction insn) => new(insn, null, Fixup.None, 0);

    /// <summary>
    /// An item index in this function: a few items forward (clamped to the exit once the body is complete), or for
    /// conditional jumps sometimes backward, making a loop the budget may have to stop.
    /// </summary>
    private int JumpTarget(int from, bool forwardOnly = false) =>
        !forwardOnly && Chance(20) ? Pick(from + 1) : from + 1 + Pick(6);

    private Instruction FromRow(OpcodeInfo row, byte dst) => new(
        row.Opcode,
        row.Dst.IsOperand ? dst : (byte)row.Dst.FixedValue,
        row.Src.IsOperand ? AnyRegister() : (byte)row.Src.FixedValue,
        (short)(row.Offset.IsOperand ? Pick(5) - 2 : row.Offset.FixedValue),
        row.Immediate.IsOperand ? Immediate() : row.Immediate.FixedValue);

    /// <summary>A base register and offset: mostly inside the frame or the buffer, sometimes just outside.</summary>
    private (byte Base, short Offset) Address(int size) => Pick(10) switch
    {
        < 5 => (10, (short)(-Pick(520 / size + 1) * size - (Chance(10) ? Pick(8) : 0) + (Chance(5) ? 8 : 0))),
        < 8 => (1, (short)(Pick(BufferSize + 8) - 4)),
        < 9 => (3, (short)(Pick(ReadOnlyTail + 4) - 2)),
        _ => (AnyRegister(), (short)(Pick(64) - 32)),
    };
}
