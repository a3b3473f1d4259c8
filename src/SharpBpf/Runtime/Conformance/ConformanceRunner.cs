using System.Globalization;
using SharpBpf.Asm;
using SharpBpf.Execution;
using SharpBpf.Helpers.BuiltIn;
using SharpBpf.Isa;

namespace SharpBpf.Runtime.Conformance;

/// <summary>
/// Runs conformance-suite <c>.data</c> files (the bpf_conformance format, uBPF's dialect included) on an engine in
/// checked mode, as FORMAT.md recommends: r0 compared as a 64-bit value; a file with <c>-- error</c> passes when the
/// assembler, the structural validation or the run refuses it (error texts are implementation specific); "error
/// expected, program ran" is a failure. It does not run the reference runner's plugin protocol.
/// </summary>
internal sealed class ConformanceRunner(IExecutionEngine engine)
{
    /// <summary>Where the conformance suite's expectations are not the kernel's, the file is skipped with the reason.</summary>
    private static readonly Dictionary<string, string> KnownSkips = new(StringComparer.Ordinal)
    {
        ["err-too-many-instructions.data"] =
            "uBPF's own limit of 65,536 instructions; Linux (and SharpBpf) accept up to 1,000,000",
        ["err-unknown-opcode.data"] =
            "opcode 0x06 with imm 0 is ja32 (gotol +0) since cpu v4 (RFC 9669); uBPF's expectation predates it",
    };

    private readonly EngineOptions _options = new() { Mode = ExecutionMode.Checked, Helpers = ConformanceHelpers.CreateRegistry() };

    /// <summary>Every <c>.data</c> file named, folders searched recursively, in ordinal path order per argument.</summary>
    public static IEnumerable<string> CollectFiles(IEnumerable<string> paths)
    {
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                foreach (var file in Directory.EnumerateFiles(path, "*.data", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                {
                    yield return file;
                }
            }
            else if (File.Exists(path))
            {
                yield return path;
            }
            else
            {
                throw new FileNotFoundException($"no such file or folder: {path}", path);
            }
        }
    }

    public ConformanceResult RunFile(string path, string? displayName = null)
    {
        var name = displayName ?? Path.GetFileName(path);
        var data = ConformanceDataFile.Load(path);
        if (KnownSkips.TryGetValue(Path.GetFileName(path), out var known))
        {
            return new(name, ConformanceVerdict.Skipped, known);
        }

        return data.ExpectedError is not null ? ExpectRejection(name, data) : ExpectResult(name, data);
    }

    private ConformanceResult ExpectRejection(string name, ConformanceDataFile data)
    {
        if (data.UnsupportedDirectives.Count > 0 || data.UnknownDirectives.Count > 0)
        {
            return new(name, ConformanceVerdict.Skipped, data.SkipReason!);
        }

        if (data.AssemblyError is { } asm)
        {
            return new(name, ConformanceVerdict.Passed, $"rejected by the assembler ({asm.Message})");
        }

        if (!data.HasProgram)
        {
            return data.SkipReason is { } reason
                ? new(name, ConformanceVerdict.Skipped, reason)
                : new(name, ConformanceVerdict.Failed, "no program");
        }

        if (ProgramValidator.FindFirstError(data.Program!) is { } invalid)
        {
            return new(name, ConformanceVerdict.Passed, $"rejected: insn {invalid.Index}: {invalid.Reason}");
        }

        try
        {
            var r0 = Execute(data);
            return new(name, ConformanceVerdict.Failed, $"expected an error, but the program returned {Hex(r0)}");
        }
        catch (ProgramFaultException fault)
        {
            return new(name, ConformanceVerdict.Passed, $"faulted: {fault.Message}");
        }
    }

    private ConformanceResult ExpectResult(string name, ConformanceDataFile data)
    {
        if (data.AssemblyError is { } asm)
        {
            return new(name, ConformanceVerdict.Failed, asm.Message);
        }

        if (data.SkipReason is { } reason)
        {
            return new(name, ConformanceVerdict.Skipped, reason);
        }

        var expected = data.ExpectedResult!.Value;
        try
        {
            ProgramValidator.Validate(data.Program!);
            var r0 = Execute(data);
            return r0 == expected
                ? new(name, ConformanceVerdict.Passed, "")
                : new(name, ConformanceVerdict.Failed, $"expected {Hex(expected)}, got {Hex(r0)}");
        }
        catch (BpfException e)
        {
            return new(name, ConformanceVerdict.Failed, e.Message);
        }
    }

    private ulong Execute(ConformanceDataFile data)
    {
        var memory = data.Memory is { } bytes ? (byte[])bytes.Clone() : [];
        return engine.Prepare(data.Program!, _options).Run(memory);
    }

    private static string Hex(ulong value) => "0x" + value.ToString("x", CultureInfo.InvariantCulture);
}
