using System.Globalization;
using System.Text;
using SharpBpf.Isa;

namespace SharpBpf.Asm;

/// <summary>Splits a <c>.data</c> file into sections and builds a <see cref="ConformanceDataFile"/> from them.</summary>
internal static class DataFileParser
{
    public static ConformanceDataFile Parse(string text, string? path)
    {
        ArgumentNullException.ThrowIfNull(text);
        var file = new ConformanceDataFile(path);
        var problems = new List<string>();
        var sections = Split(text);
        foreach (var section in sections.Where(s => s.IncludePath is not null))
        {
            ReadInclude(section, path, problems);
        }

        var byKind = sections.ToLookup(s => s.Kind);
        file.UnknownDirectives = [.. byKind[DataFileSectionKind.Unknown].Select(s => s.Header)];
        file.UnsupportedDirectives = [.. byKind[DataFileSectionKind.Unsupported].Select(s => DataFileSection.UnsupportedName(s.Header)!)];
        file.NoJitReason = byKind[DataFileSectionKind.NoJit].Select(s => s.LastLine?.Content.Trim() ?? "").FirstOrDefault();
        file.CSource = Joined(byKind[DataFileSectionKind.C].FirstOrDefault());
        file.Memory = ReadMemory(byKind[DataFileSectionKind.Mem].FirstOrDefault(), problems);
        file.ExpectedResult = ReadResult(byKind[DataFileSectionKind.Result].LastOrDefault(), problems);
        if (byKind[DataFileSectionKind.Error].LastOrDefault() is { } error)
        {
            file.ExpectedError = error.LastLine?.Content.Trim() ?? "";
            file.ExpectedErrorIsPattern = error.IsPattern;
        }

        ReadProgram(file, byKind[DataFileSectionKind.Asm].FirstOrDefault(), byKind[DataFileSectionKind.Raw].FirstOrDefault(), problems);
        file.Problems = problems;
        return file;
    }

    private static List<DataFileSection> Split(string text)
    {
        var sections = new List<DataFileSection>();
        DataFileSection? current = null;
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var raw = lines[i].TrimEnd('\r');
            var content = StripComment(raw);
            if (content.Contains("--", StringComparison.Ordinal))
            {
                current = DataFileSection.FromHeader(content, i + 1);
                sections.Add(current);
            }
            else if (current is not null && !string.IsNullOrWhiteSpace(content))
            {
                current.Lines.Add(new DataFileLine(i + 1, raw, content));
            }
        }

        return sections;
    }

    private static string StripComment(string line)
    {
        var hash = line.IndexOf('#');
        return hash < 0 ? line : line[..hash];
    }

    private static void ReadInclude(DataFileSection section, string? path, List<string> problems)
    {
        var directory = path is null ? null : System.IO.Path.GetDirectoryName(path);
        if (directory is null)
        {
            problems.Add($"line {section.HeaderLine}: '@ {section.IncludePath}' needs the path of the .data file");
            return;
        }

        var included = System.IO.Path.Combine(directory, section.IncludePath!);
        if (!File.Exists(included))
        {
            problems.Add($"line {section.HeaderLine}: included file '{section.IncludePath}' not found");
            return;
        }

        var lines = File.ReadAllLines(included);
        for (var i = 0; i < lines.Length; i++)
        {
            var content = StripComment(lines[i]);
            if (section.Kind == DataFileSectionKind.Mem)
            {
                // tcpdump-style hex dump: "0x0000:  0026 622f ..." — the bytes follow the last colon.
                content = content[(content.LastIndexOf(':') + 1)..];
            }

            if (!string.IsNullOrWhiteSpace(content))
            {
                section.Lines.Add(new DataFileLine(i + 1, lines[i], content));
            }
        }
    }

    private static string? Joined(DataFileSection? section) =>
        section is null ? null : string.Join('\n', section.Lines.Select(l => l.Content.TrimEnd()));

    private static byte[]? ReadMemory(DataFileSection? section, List<string> problems)
    {
        if (section is null)
        {
            return null;
        }

        var bytes = new List<byte>();
        foreach (var line in section.Lines)
        {
            foreach (var token in line.Content.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            {
                if (token.Length % 2 != 0 || !TryHexBytes(token, bytes))
                {
                    problems.Add($"line {line.Number}: '{token}' is not a sequence of two-digit hex bytes");
                    return null;
                }
            }
        }

        return [.. bytes];
    }

    private static bool TryHexBytes(string token, List<byte> bytes)
    {
        for (var i = 0; i < token.Length; i += 2)
        {
            if (!byte.TryParse(token.AsSpan(i, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b))
            {
                return false;
            }

            bytes.Add(b);
        }

        return true;
    }

    private static ulong? ReadResult(DataFileSection? section, List<string> problems)
    {
        if (section?.LastLine is not { } line)
        {
            return null;
        }

        var text = line.Content.Trim();
        var hex = text.IndexOf("0x", StringComparison.OrdinalIgnoreCase);
        var ok = hex >= 0
            ? ulong.TryParse(text.AsSpan(hex + 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value)
            : ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        if (ok)
        {
            return value;
        }

        problems.Add($"line {line.Number}: result '{text}' is not a 64-bit unsigned number");
        return null;
    }

    private static void ReadProgram(ConformanceDataFile file, DataFileSection? asm, DataFileSection? raw, List<string> problems)
    {
        if (asm is not null)
        {
            file.AssemblySource = string.Join('\n', asm.Lines.Select(l => l.Raw));
        }

        if (raw is not null)
        {
            file.ProgramIsRaw = true;
            file.Program = RawProgram.Read(raw.Lines, problems);
            return;
        }

        if (asm is null)
        {
            return;
        }

        try
        {
            file.Program = Assembler.Assemble(SourceKeepingLineNumbers(asm.Lines));
        }
        catch (AsmSyntaxException e)
        {
            file.AssemblyError = e;
        }
    }

    /// <summary>Puts each line at its own line number so assembler errors point into the file.</summary>
    private static string SourceKeepingLineNumbers(List<DataFileLine> lines)
    {
        var text = new StringBuilder();
        var number = 1;
        foreach (var line in lines)
        {
            while (number < line.Number)
            {
                text.Append('\n');
                number++;
            }

            text.Append(line.Raw);
        }

        return text.ToString();
    }
}
