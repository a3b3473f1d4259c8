using System.Globalization;
using System.Text;
using SharpBpf.Isa;

namespace SharpBpf.Asm;

/// <summary>The text form of a disassembly.</summary>
internal enum DisassemblySyntax
{
    /// <summary>The conformance assembly syntax, one instruction per line; re-assembles to the same bytes.</summary>
    Conformance,
    /// <summary>llvm-objdump's C-like syntax, instruction text only.</summary>
    Llvm,
    /// <summary>llvm-objdump's listing: slot number, raw bytes, then the C-like text.</summary>
    LlvmListing,
}

/// <summary>
/// Formats a whole program, one line per instruction (an <c>lddw</c> pair is one line). Never throws for malformed
/// bytecode: a slot that is not an instruction prints as <c>&lt;invalid: reason&gt;</c> and the listing goes on with
/// the next slot. It does not print labels, symbols or section headers.
/// </summary>
internal static class Disassembler
{
    public static string Disassemble(ReadOnlySpan<Instruction> program, DisassemblySyntax syntax)
    {
        IInstructionFormatter formatter = syntax == DisassemblySyntax.Conformance
            ? AsmSyntaxFormatter.Instance
            : LlvmSyntaxFormatter.Instance;
        var text = new StringBuilder();
        var pc = 0;
        while (pc < program.Length)
        {
            var insn = program[pc];
            Instruction? next = pc + 1 < program.Length ? program[pc + 1] : null;
            var width = FormatterDecoding.TryDecode(insn, next, out var row, out _) && row.IsWide ? 2 : 1;
            if (syntax == DisassemblySyntax.LlvmListing)
            {
                AppendListingPrefix(text, program.Slice(pc, width), pc);
            }

            text.Append(formatter.Format(insn, next, pc)).Append('\n');
            pc += width;
        }

        return text.ToString();
    }

    /// <summary>One llvm-objdump listing line: <c>       0:	b7 00 00 00 01 00 00 00	r0 = 0x1</c>.</summary>
    public static string ListingLine(ReadOnlySpan<Instruction> slots, int pc, string instructionText)
    {
        var text = new StringBuilder();
        AppendListingPrefix(text, slots, pc);
        return text.Append(instructionText).ToString();
    }

    private static void AppendListingPrefix(StringBuilder text, ReadOnlySpan<Instruction> slots, int pc)
    {
        text.Append(pc.ToString(CultureInfo.InvariantCulture).PadLeft(8)).Append(":\t");
        var bytes = Instruction.Encode(slots);
        for (var i = 0; i < bytes.Length; i++)
        {
            text.Append(i == 0 ? "" : " ").Append(bytes[i].ToString("x2", CultureInfo.InvariantCulture));
        }

        text.Append('\t');
    }
}
