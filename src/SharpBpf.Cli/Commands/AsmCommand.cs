using System.CommandLine;
using SharpBpf.Asm;
using SharpBpf.Isa;

namespace SharpBpf.Cli.Commands;

/// <summary><c>sharpbpf asm FILE.s [-o FILE.bin]</c>: conformance-syntax assembly to raw little-endian bytecode.</summary>
internal static class AsmCommand
{
    public static Command Create(CliConsole console)
    {
        var file = new Argument<FileInfo>("FILE") { Description = "assembly in the conformance-suite syntax" };
        var output = new Option<FileInfo?>("--output", "-o") { Description = "where to write the bytecode (default: FILE with .bin)" };
        var command = new Command("asm", "Assemble conformance-suite syntax to raw little-endian bytecode.") { file, output };
        command.SetAction(parse => console.Guard(() =>
        {
            var source = parse.GetRequiredValue(file);
            var instructions = Assembler.Assemble(File.ReadAllText(source.FullName));
            ProgramValidator.Validate(instructions);
            var target = parse.GetValue(output)?.FullName ?? Path.ChangeExtension(source.FullName, ".bin");
            File.WriteAllBytes(target, Instruction.Encode(instructions));
            console.Out.WriteLine($"{target}: {instructions.Length} instructions ({instructions.Length * Instruction.Size} bytes)");
            return ExitCodes.Success;
        }));
        return command;
    }
}
