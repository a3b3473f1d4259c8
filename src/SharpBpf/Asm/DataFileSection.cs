namespace SharpBpf.Asm;

/// <summary>The kind of a <c>--</c> section header in a <c>.data</c> file.</summary>
internal enum DataFileSectionKind
{
    Asm,
    Result,
    Mem,
    Raw,
    NoRegisterOffset,
    C,
    Error,
    NoJit,
    Description,
    Unsupported,
    Unknown,
}

/// <summary>One line of section content: its 1-based number in its file, the raw text, and the text without comment.</summary>
internal readonly record struct DataFileLine(int Number, string Raw, string Content);

/// <summary>A section header and the non-empty lines under it (or those of the file it includes with <c>@</c>).</summary>
internal sealed class DataFileSection(DataFileSectionKind kind, string header, int headerLine)
{
    public DataFileSectionKind Kind { get; } = kind;
    public string Header { get; } = header;
    public int HeaderLine { get; } = headerLine;
    public string? IncludePath { get; set; }
    public bool IsPattern { get; set; }
    public List<DataFileLine> Lines { get; } = [];

    /// <summary>
    /// Classifies a header by substring, in the order the reference runner checks (asm, result, mem, raw,
    /// no register offset, " c", error), then uBPF's extra directives.
    /// </summary>
    public static DataFileSection FromHeader(string header, int lineNumber)
    {
        var kind = header switch
        {
            _ when header.Contains("asm", StringComparison.Ordinal) => DataFileSectionKind.Asm,
            _ when header.Contains("result", StringComparison.Ordinal) => DataFileSectionKind.Result,
            _ when header.Contains("mem", StringComparison.Ordinal) => DataFileSectionKind.Mem,
            _ when header.Contains("raw", StringComparison.Ordinal) => DataFileSectionKind.Raw,
            _ when header.Contains("no register offset", StringComparison.Ordinal) => DataFileSectionKind.NoRegisterOffset,
            _ when header.Contains(" c", StringComparison.Ordinal) => DataFileSectionKind.C,
            _ when header.Contains("error", StringComparison.Ordinal) => DataFileSectionKind.Error,
            _ when header.Contains("no jit", StringComparison.Ordinal) => DataFileSectionKind.NoJit,
            // Free text about the test: documentation, like "-- c", so the file still runs.
            _ when header.Contains("description", StringComparison.Ordinal) => DataFileSectionKind.Description,
            _ when UnsupportedName(header) is not null => DataFileSectionKind.Unsupported,
            _ => DataFileSectionKind.Unknown,
        };
        var section = new DataFileSection(kind, header.Trim(), lineNumber)
        {
            IsPattern = kind == DataFileSectionKind.Error && header.Contains("pattern", StringComparison.Ordinal),
        };
        var at = header.IndexOf('@');
        if (at >= 0 && kind is DataFileSectionKind.Asm or DataFileSectionKind.Mem)
        {
            section.IncludePath = header[(at + 1)..].Trim();
        }

        return section;
    }

    /// <summary>uBPF directives only its Python harness can run: <c>pyelf</c>, <c>reload</c>, <c>unload</c>.</summary>
    public static string? UnsupportedName(string header)
    {
        foreach (var name in new[] { "pyelf", "reload", "unload" })
        {
            if (header.Contains(name, StringComparison.Ordinal))
            {
                return name;
            }
        }

        return null;
    }

    /// <summary>The last non-empty content line, or null.</summary>
    public DataFileLine? LastLine => Lines.Count == 0 ? null : Lines[^1];
}
