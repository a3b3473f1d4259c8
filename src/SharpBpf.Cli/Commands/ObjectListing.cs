using SharpBpf.Asm;

namespace SharpBpf.Cli.Commands;

/// <summary>Disassembly of the programs of an ELF object, one block per program as llvm-objdump prints them.</summary>
internal static class ObjectListing
{
    public static bool IsElf(ReadOnlySpan<byte> bytes) =>
        bytes.Length >= 4 && bytes[0] == 0x7f && bytes[1] == (byte)'E' && bytes[2] == (byte)'L' && bytes[3] == (byte)'F';

    public static int Write(CliConsole console, byte[] bytes, string path, string? programName, DisassemblySyntax syntax, bool withSource)
    {
        _ = (bytes, programName, syntax, withSource);
        throw new UsageException($"{Path.GetFileName(path)}: disassembling ELF objects needs the object loader, which is not merged yet");
    }
}
