using SharpBpf.Isa;

namespace SharpBpf.Asm;

/// <summary>
/// A parsed <c>.data</c> test file of bpf_conformance / uBPF (format: conformance/FORMAT.md §1 and §8): the program
/// (from <c>-- raw</c>, which wins, or <c>-- asm</c>), the input memory, the expected result or error, and the
/// directives a runner must honour or skip.
/// </summary>
/// <remarks>
/// Parsing never throws for bad content: an assembly error is kept in <see cref="AssemblyError"/>, other content
/// problems (a bad hex byte, a missing include) in <see cref="Problems"/>, so a runner reports them per file.
/// It does not run anything, decide CPU versions or groups, or interpret uBPF's Python snippets.
/// </remarks>
internal sealed class ConformanceDataFile
{
    internal ConformanceDataFile(string? path) => Path = path;

    /// <summary>Where the file was read from (null when parsed from a string without one).</summary>
    public string? Path { get; }

    /// <summary>The program; null when the file has no program section or its assembly failed.</summary>
    public Instruction[]? Program { get; internal set; }

    /// <summary>True when the program came from a <c>-- raw</c> section.</summary>
    public bool ProgramIsRaw { get; internal set; }

    /// <summary>The <c>-- asm</c> text (or the included file's), comments kept; null without that section.</summary>
    public string? AssemblySource { get; internal set; }

    /// <summary>Why <c>-- asm</c> did not assemble (line numbers are those of the file, or of the included file).</summary>
    public AsmSyntaxException? AssemblyError { get; internal set; }

    /// <summary>False for files that yield no instruction ("no program": the reference runner skips them).</summary>
    public bool HasProgram => Program is { Length: > 0 };

    public byte[]? Memory { get; internal set; }

    /// <summary>Expected r0 as a full 64-bit value, from the last non-empty line of <c>-- result</c>.</summary>
    public ulong? ExpectedResult { get; internal set; }

    /// <summary>
    /// The last line of <c>-- error</c>; the empty string when the section is present but empty (any rejection is
    /// expected, as in the <c>unused-*</c> files); null without the section.
    /// </summary>
    public string? ExpectedError { get; internal set; }

    /// <summary>True for <c>-- error pattern</c>: <see cref="ExpectedError"/> is a regular expression.</summary>
    public bool ExpectedErrorIsPattern { get; internal set; }

    /// <summary>The documentation-only <c>-- c</c> source, comments removed.</summary>
    public string? CSource { get; internal set; }

    /// <summary>The reason after <c>-- no jit</c>: run on the interpreter only. Null without the directive.</summary>
    public string? NoJitReason { get; internal set; }

    /// <summary>uBPF directives this project cannot run (<c>pyelf</c>, <c>reload</c>, <c>unload</c>); <c>-- description</c> is documentation.</summary>
    public IReadOnlyList<string> UnsupportedDirectives { get; internal set; } = [];

    /// <summary>Headers no reader knows (the reference runner skips such files), as written.</summary>
    public IReadOnlyList<string> UnknownDirectives { get; internal set; } = [];

    /// <summary>Content problems other than assembly errors, each with its line number.</summary>
    public IReadOnlyList<string> Problems { get; internal set; } = [];

    /// <summary>
    /// Why a conformance runner should skip the file (as the reference runner does), or null when it can run it.
    /// A file whose assembly failed or that has <see cref="Problems"/> is not skipped: the runner reports it.
    /// </summary>
    public string? SkipReason =>
        UnknownDirectives.Count > 0 ? $"unknown directive '{UnknownDirectives[0]}'"
        : UnsupportedDirectives.Count > 0 ? $"unsupported directive '{UnsupportedDirectives[0]}'"
        : ExpectedResult is null && ExpectedError is null ? "no -- result or -- error section"
        : !HasProgram && AssemblyError is null && Problems.Count == 0 ? "no program"
        : null;

    /// <summary>Parses file text; <paramref name="path"/> resolves <c>@ file</c> includes and names the file in messages.</summary>
    public static ConformanceDataFile Parse(string text, string? path = null) => DataFileParser.Parse(text, path);

    /// <summary>Reads and parses a file (I/O errors propagate as usual).</summary>
    public static ConformanceDataFile Load(string path) => Parse(File.ReadAllText(path), path);
}
