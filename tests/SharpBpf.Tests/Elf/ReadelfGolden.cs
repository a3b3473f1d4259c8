using System.Globalization;
using System.Text.RegularExpressions;

namespace SharpBpf.Tests.Elf;

/// <summary>
/// The parts of <c>llvm-readelf-19 --wide -S -s -r</c> output the ELF tests compare against, parsed from the
/// committed golden text (so no LLVM tool is needed at test time).
/// </summary>
internal sealed partial class ReadelfGolden
{
    public sealed record Section(int Index, string Name, string Type, ulong Offset, ulong Size, ulong EntrySize,
        string Flags, uint Link, uint Info, ulong Alignment);

    public sealed record Symbol(int Index, ulong Value, ulong Size, string Type, string Binding, string Visibility,
        string SectionIndex, string Name);

    public sealed record Relocation(ulong Offset, ulong Info, string Type, string SymbolName);

    public List<Section> Sections { get; } = [];
    public List<Symbol> Symbols { get; } = [];
    public Dictionary<string, List<Relocation>> Relocations { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, ulong> RelocationSectionOffsets { get; } = new(StringComparer.Ordinal);

    [GeneratedRegex(@"^\s*\[\s*(\d+)\]\s+(\S*)\s+(\S+)\s+([0-9a-f]{16})\s+([0-9a-f]+)\s+([0-9a-f]+)\s+([0-9a-f]+)\s+(?:([A-Za-z]+)\s+)?(\d+)\s+(\d+)\s+(\d+)$")]
    private static partial Regex SectionLine();

    [GeneratedRegex(@"^\s*(\d+):\s+([0-9a-f]{16})\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s?(.*)$")]
    private static partial Regex SymbolLine();

    [GeneratedRegex(@"^Relocation section '(.*)' at offset 0x([0-9a-f]+) contains \d+ entries:$")]
    private static partial Regex RelocationHeader();

    [GeneratedRegex(@"^([0-9a-f]{16})\s+([0-9a-f]{16})\s+(\S+)(?:\s+[0-9a-f]{16}\s*(.*))?$")]
    private static partial Regex RelocationLine();

    public static ReadelfGolden Parse(string text)
    {
        var golden = new ReadelfGolden();
        List<Relocation>? current = null;
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            if (SectionLine().Match(line) is { Success: true } s)
            {
                golden.Sections.Add(new Section(int.Parse(s.Groups[1].Value, CultureInfo.InvariantCulture), s.Groups[2].Value.Trim(),
                    s.Groups[3].Value, Hex(s.Groups[5].Value), Hex(s.Groups[6].Value), Hex(s.Groups[7].Value), s.Groups[8].Value,
                    uint.Parse(s.Groups[9].Value, CultureInfo.InvariantCulture), uint.Parse(s.Groups[10].Value, CultureInfo.InvariantCulture),
                    ulong.Parse(s.Groups[11].Value, CultureInfo.InvariantCulture)));
            }
            else if (RelocationHeader().Match(line) is { Success: true } h)
            {
                current = [];
                golden.Relocations[h.Groups[1].Value] = current;
                golden.RelocationSectionOffsets[h.Groups[1].Value] = Hex(h.Groups[2].Value);
            }
            else if (current is not null && RelocationLine().Match(line) is { Success: true } r)
            {
                current.Add(new Relocation(Hex(r.Groups[1].Value), Hex(r.Groups[2].Value), r.Groups[3].Value, r.Groups[4].Value.Trim()));
            }
            else if (line.StartsWith("Symbol table", StringComparison.Ordinal))
            {
                current = null;
            }
            else if (current is null && SymbolLine().Match(line) is { Success: true } y)
            {
                golden.Symbols.Add(new Symbol(int.Parse(y.Groups[1].Value, CultureInfo.InvariantCulture), Hex(y.Groups[2].Value),
                    Number(y.Groups[3].Value), y.Groups[4].Value, y.Groups[5].Value, y.Groups[6].Value, y.Groups[7].Value, y.Groups[8].Value));
            }
        }
        return golden;
    }

    private static ulong Hex(string text) => ulong.Parse(text, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    private static ulong Number(string text) =>
        text.StartsWith("0x", StringComparison.Ordinal) ? Hex(text[2..]) : ulong.Parse(text, CultureInfo.InvariantCulture);
}
