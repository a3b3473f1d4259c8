using SharpBpf.Execution;
using SharpBpf.Helpers;
using SharpBpf.Interpreter;
using SharpBpf.Isa;
using static SharpBpf.Tests.Interpreter.Insn;

namespace SharpBpf.Tests.Interpreter;

/// <summary>Every row of the opcode table decodes to an interpreter operation and executes.</summary>
public class OpcodeCoverageTests
{
    public static TheoryData<int> Rows()
    {
        var data = new TheoryData<int>();
        for (var i = 0; i < OpcodeTable.All.Count; i++) data.Add(i);
        return data;
    }

    private static int Field(FieldRule rule, int operand) => rule.IsOperand ? operand : rule.FixedValue;

    /// <summary>One instance of the row, with operands that keep memory accesses on the stack and jumps in place.</summary>
    private static Instruction[] Instance(OpcodeInfo row)
    {
        var memory = row.Form is InstructionForm.Load or InstructionForm.StoreImm or InstructionForm.StoreReg or InstructionForm.Atomic;
        var dst = Field(row.Dst, row.Form == InstructionForm.CallReg ? 1 : memory && row.Form != InstructionForm.Load ? 10 : 0);
        var src = Field(row.Src, row.Form == InstructionForm.Load ? 10 : 1);
        var off = Field(row.Offset, memory ? -8 : 0);
        var imm = Field(row.Immediate, row.Form switch
        {
            InstructionForm.CallHelper => 5,
            InstructionForm.CallKfunc => 1234, // an id SharpBpf has no kfunc for: the defined fault
            InstructionForm.CallLocal => 1, // to the exit after the following exit
            InstructionForm.LoadImm64 when row.Src.FixedValue == (int)LoadImm64Source.Function => 2, // to the last exit
            InstructionForm.LoadPacketAbs or InstructionForm.LoadPacketInd => 0,
            InstructionForm.Jump or InstructionForm.JumpLong or InstructionForm.CondJumpImm or InstructionForm.CondJumpReg => 0,
            _ => 3,
        });
        var insn = new Instruction(row.Opcode, (byte)dst, (byte)src, (short)off, imm);
        Instruction[] body = row.IsWide ? [insn, new Instruction(0, 0, 0, 0, 0)] : [insn];
        return P(Mov(1, row.Form == InstructionForm.CallReg ? 5 : 1), body, Exit(), Exit());
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public unsafe void Interpreter_executes_every_table_row(int index)
    {
        var row = OpcodeTable.All[index];
        var program = Instance(row);
        Assert.True(OpcodeTable.TryDecode(program[1], out var decodedRow));
        Assert.Same(row, decodedRow);

        var decoded = Decoder.Decode(program, [], _ => true);
        Assert.NotEqual(Op.Unreachable, decoded[1].Op);

        var helpers = new HelperRegistry().Register(5, "unwind", (_, r1, _, _, _, _) => r1);
        var packet = stackalloc byte[8];
        var context = new RunContext { Packet = new MemoryRegion((ulong)packet, 8, MemoryAccess.Read, RegionKind.Packet) };
        // Proven-unchecked with every slot proven runs the proven variant of each memory operation.
        var everySlotProven = new ProvenAccesses(Enumerable.Range(0, program.Length), program.Length, contextType: 0);
        foreach (var mode in new[] { ExecutionMode.Checked, ExecutionMode.Unchecked, ExecutionMode.ProvenUnchecked })
        {
            var prepared = InterpreterEngine.Instance.Prepare(program, Options(mode, helpers) with { ProvenAccesses = everySlotProven });
            if (row.Form == InstructionForm.CallKfunc)
            {
                // A kfunc SharpBpf does not implement: a defined fault, not an unsupported instruction.
                Assert.Equal(FaultKind.UnknownKfunc, Assert.Throws<ProgramFaultException>(() => prepared.Run(context)).Kind);
                continue;
            }

            prepared.Run(context);
        }
    }

    [Fact]
    public void Every_interpreter_operation_is_produced_by_some_table_row()
    {
        var produced = new HashSet<Op>();
        foreach (var row in OpcodeTable.All)
        {
            produced.Add(Decoder.Decode(Instance(row), [], _ => true)[1].Op);
            produced.Add(Decoder.Decode(Instance(row), [], _ => false)[1].Op);
        }

        var missing = Enum.GetValues<Op>().Where(op => op is not (Op.Unreachable or Op.FellOffEnd) && !produced.Contains(op));
        Assert.Empty(missing);
    }
}
