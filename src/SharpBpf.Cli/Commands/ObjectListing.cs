using System.Text;
using SharpBpf.Asm;
using SharpBpf.Isa;
using SharpBpf.Loader;

namespace SharpBpf.Cli.Commands;

/// <summary>
/// Disassembly of the programs of an ELF object as llvm-objdump prints them: a block per program (linked, with the
/// subprograms it calls appended), a <c>&lt;function&gt;:</c> label where each function starts, slot numbers, and
/// with <c>--source</c> the C line from BTF line info (<c>; text</c>) wherever it changes.
/// </summary>
internal static class ObjectListing
{
    public static bool IsElf(ReadOnlySpan<byte> bytes) =>
        bytes.Length >= 4 && bytes[0] == 0x7f && bytes[1] == (byte)'E' && bytes[2] == (byte)'L' && bytes[3] == (byte)'F';

    public static int Write(CliConsole console, byte[] bytes, string path, string? programName, DisassemblySyntax syntax, bool withSource)
    {
        var spec = ObjectLoader.Load(bytes, Path.GetFileName(path));
        var programs = programName is null
            ? spec.Programs.ToList()
            : [spec.FindProgram(programName) ?? throw new UsageException(
                $"no program named '{programName}' in {Path.GetFileName(path)} (there are: {string.Join(", ", spec.Programs.Select(p => p.Name))})")];
        var first = true;
        foreach (var program in programs)
        {
            if (!first) console.Out.WriteLine();
            first = false;
            console.Out.Write(Listing(program, syntax, withSource));
        }

        return ExitCodes.Success;
    }

    public static string Listing(ProgramSpec program, DisassemblySyntax syntax, bool withSource)
    {
        var text = new StringBuilder();
        text.Append("Disassembly of program ").Append(program.Name)
            .Append(" (section ").Append(program.SectionName).Append(", ").Append(program.TypeName).Append("):\n");
        IInstructionFormatter formatter = syntax == DisassemblySyntax.Conformance ? AsmSyntaxFormatter.Instance : LlvmSyntaxFormatter.Instance;
        var slots = program.Instructions.AsSpan();
        var starts = program.Functions.ToDictionary(f => f.StartSlot, f => f.Name);
        string? lastLine = null;
        for (var pc = 0; pc < slots.Length;)
        {
            if (starts.TryGetValue(pc, out var function))
            {
                text.Append('\n').Append('<').Append(function).Append(">:\n");
            }

            if (withSource && program.LineAt(pc) is { } line && line.LineText != lastLine)
            {
                lastLine = line.LineText;
                text.Append("; ").Append(line.LineText.Trim()).Append('\n');
            }

            var insn = slots[pc];
            Instruction? next = pc + 1 < slots.Length ? slots[pc + 1] : null;
            var width = insn.IsLoadImm64 && next is not null ? 2 : 1;
            var body = formatter.Format(insn, next, pc);
            text.Append(syntax == DisassemblySyntax.Conformance ? body : Disassembler.ListingLine(slots.Slice(pc, width), pc, body)).Append('\n');
            pc += width;
        }

        return text.ToString();
    }
}
