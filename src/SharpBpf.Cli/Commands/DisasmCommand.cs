using System.CommandLine;
using SharpBpf.Asm;
using SharpBpf.Isa;

namespace SharpBpf.Cli.Commands;

/// <summary>
/// <c>sharpbpf disasm OBJ.o|FILE.bin [--prog NAME] [--syntax llvm|asm] [--source]</c>: a listing with 8-byte slot
/// numbers. A raw file is little-endian bytecode (what <c>sharpbpf asm</c> writes).
/// </summary>
internal static class DisasmCommand
{
    public static Command Create(CliConsole console)
    {
        var file = new Argument<FileInfo>("FILE") { Description = "an ELF object (.o) or raw bytecode" };
        var program = new Option<string?>("--prog") { Description = "only this program (objects)" };
        var syntax = new Option<string>("--syntax") { Description = "llvm (default) or asm", DefaultValueFactory = _ => "llvm" };
        syntax.AcceptOnlyFromAmong("llvm", "asm");
        var source = new Option<bool>("--source") { Description = "interleave the C source lines from BTF line info (objects)" };
        var command = new Command("disasm", "Disassemble an object's programs or raw bytecode.") { file, program, syntax, source };
        command.SetAction(parse => console.Guard(() =>
        {
            var path = parse.GetRequiredValue(file).FullName;
            var bytes = File.ReadAllBytes(path);
            var listing = parse.GetValue(syntax) == "asm" ? DisassemblySyntax.Conformance : DisassemblySyntax.LlvmListing;
            if (ObjectListing.IsElf(bytes))
            {
                return ObjectListing.Write(console, bytes, path, parse.GetValue(program), listing, parse.GetValue(source));
            }

            if (parse.GetValue(program) is not null || parse.GetValue(source))
            {
                throw new UsageException("--prog and --source apply to ELF objects, not to raw bytecode");
            }

            if (bytes.Length % Instruction.Size != 0)
            {
                throw new UsageException($"{Path.GetFileName(path)}: {bytes.Length} bytes is not a whole number of 8-byte instructions");
            }

            console.Out.Write(Disassembler.Disassemble(Instruction.Decode(bytes), listing));
            return ExitCodes.Success;
        }));
        return command;
    }
}
