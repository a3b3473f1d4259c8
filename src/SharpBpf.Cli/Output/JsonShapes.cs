using System.Text.Json.Serialization;

namespace SharpBpf.Cli.Output;

// The JSON shapes of shared CLI.md: a contract scripts parse. Property names and nesting must not change.

public sealed record ShowReport(
    [property: JsonPropertyName("license")] string License,
    [property: JsonPropertyName("programs")] IReadOnlyList<ShowProgram> Programs,
    [property: JsonPropertyName("maps")] IReadOnlyList<ShowMap> Maps);

public sealed record ShowProgram(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("section")] string Section,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("instructions")] int Instructions);

public sealed record ShowMap(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("key_size")] int KeySize,
    [property: JsonPropertyName("value_size")] int ValueSize,
    [property: JsonPropertyName("max_entries")] long MaxEntries,
    [property: JsonPropertyName("flags")] long Flags,
    [property: JsonPropertyName("key_type")] string? KeyType,
    [property: JsonPropertyName("value_type")] string? ValueType,
    [property: JsonPropertyName("special_fields")] IReadOnlyList<ShowSpecialField> SpecialFields);

public sealed record ShowSpecialField(
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("offset")] int Offset);

public sealed record RunReport(
    [property: JsonPropertyName("engine")] string Engine,
    [property: JsonPropertyName("clock")] string Clock,
    [property: JsonPropertyName("results")] IReadOnlyList<RunResult> Results,
    [property: JsonPropertyName("maps")] IReadOnlyDictionary<string, MapDump>? Maps,
    [property: JsonPropertyName("trace")] IReadOnlyList<string>? Trace,
    [property: JsonPropertyName("timers")] IReadOnlyList<TimerDump>? Timers);

public sealed record RunResult(
    [property: JsonPropertyName("program")] string Program,
    [property: JsonPropertyName("retval")] ulong Retval,
    [property: JsonPropertyName("duration_ns")] long DurationNs,
    [property: JsonPropertyName("data_out")] string? DataOut);

public sealed record MapDump(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("key_size")] int KeySize,
    [property: JsonPropertyName("value_size")] int ValueSize,
    [property: JsonPropertyName("entries")] IReadOnlyList<MapEntryDump> Entries);

/// <summary>One element: <c>value</c> for ordinary maps, <c>values</c> (one per possible CPU) for per-CPU maps.</summary>
public sealed record MapEntryDump(
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("value"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Value,
    [property: JsonPropertyName("values"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Values);

public sealed record TimerDump(
    [property: JsonPropertyName("map")] string Map,
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("clock")] string Clock,
    [property: JsonPropertyName("expires_ns")] long ExpiresNs,
    [property: JsonPropertyName("callback")] string Callback);

/// <summary><c>verify --json</c> for one program. error and insn are null (not absent) for an accepted program.</summary>
public sealed record VerifyVerdict(
    [property: JsonPropertyName("program")] string Program,
    [property: JsonPropertyName("accepted")] bool Accepted,
    [property: JsonPropertyName("error"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Error,
    [property: JsonPropertyName("insn"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] int? Insn,
    [property: JsonPropertyName("log")] string Log);

/// <summary><c>verify --json</c> without --prog: every program's verdict, and whether all were accepted.</summary>
public sealed record VerifyReport(
    [property: JsonPropertyName("accepted")] bool Accepted,
    [property: JsonPropertyName("programs")] IReadOnlyList<VerifyVerdict> Programs);

/// <summary><c>replay --json</c>: CLI.md's shape; <c>error</c> is present only when the replay stopped early.</summary>
public sealed record ReplayReport(
    [property: JsonPropertyName("engine")] string Engine,
    [property: JsonPropertyName("clock")] string Clock,
    [property: JsonPropertyName("program")] string Program,
    [property: JsonPropertyName("packets")] long Packets,
    [property: JsonPropertyName("bytes")] long Bytes,
    [property: JsonPropertyName("verdicts")] IReadOnlyDictionary<string, long> Verdicts,
    [property: JsonPropertyName("timers")] ReplayTimers Timers,
    [property: JsonPropertyName("capture_ns")] long CaptureNs,
    [property: JsonPropertyName("elapsed_ns")] long ElapsedNs,
    [property: JsonPropertyName("packets_per_second")] long PacketsPerSecond,
    [property: JsonPropertyName("packets_written")] long? PacketsWritten,
    [property: JsonPropertyName("maps")] IReadOnlyDictionary<string, MapDump>? Maps,
    [property: JsonPropertyName("armed_timers")] IReadOnlyList<TimerDump>? ArmedTimers,
    [property: JsonPropertyName("error")] string? Error);

public sealed record ReplayTimers(
    [property: JsonPropertyName("fired")] long Fired,
    [property: JsonPropertyName("armed_at_end")] int ArmedAtEnd);

[JsonSourceGenerationOptions(WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ShowReport))]
[JsonSerializable(typeof(RunReport))]
[JsonSerializable(typeof(VerifyVerdict))]
[JsonSerializable(typeof(VerifyReport))]
[JsonSerializable(typeof(ReplayReport))]
internal sealed partial class CliJsonContext : JsonSerializerContext
{
    /// <summary>The same shapes with characters written as they are (<c>'</c>, not <c>\u0027</c>): the output is JSON for
    /// scripts, never embedded in HTML.</summary>
    public static CliJsonContext Relaxed { get; } = new(new System.Text.Json.JsonSerializerOptions
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
