using System.Globalization;

namespace SharpBpf.Cli.Run;

public enum RunStepKind
{
    Run,
    Advance,
    Wait,
    Update,
    Delete,
    ReleaseMaps,
}

/// <summary>One <c>--step</c> of <c>sharpbpf run</c>, parsed: <c>run:NAME</c>, <c>advance:DURATION</c>, <c>wait:DURATION</c>,
/// <c>update:MAP:KEYHEX:VALUEHEX</c>, <c>delete:MAP:KEYHEX</c>, <c>release-maps</c>.</summary>
public sealed record RunStep(RunStepKind Kind, string? Name = null, long DurationNs = 0, byte[]? Key = null, byte[]? Value = null)
{
    public static RunStep Parse(string text)
    {
        var parts = text.Split(':');
        return parts[0] switch
        {
            "run" when parts.Length == 2 && parts[1].Length > 0 => new(RunStepKind.Run, parts[1]),
            "advance" when parts.Length == 2 => new(RunStepKind.Advance, DurationNs: ParseDuration(parts[1], text)),
            "wait" when parts.Length == 2 => new(RunStepKind.Wait, DurationNs: ParseDuration(parts[1], text)),
            "update" when parts.Length == 4 => new(RunStepKind.Update, parts[1], Key: Hex.Parse(parts[2], text), Value: Hex.Parse(parts[3], text)),
            "delete" when parts.Length == 3 => new(RunStepKind.Delete, parts[1], Key: Hex.Parse(parts[2], text)),
            "release-maps" when parts.Length == 1 => new(RunStepKind.ReleaseMaps),
            _ => throw new UsageException(
                $"bad step '{text}': expected run:NAME, advance:DURATION, wait:DURATION, update:MAP:KEYHEX:VALUEHEX, delete:MAP:KEYHEX or release-maps"),
        };
    }

    /// <summary><c>100ns</c>, <c>250us</c>, <c>10ms</c>, <c>5s</c> (a whole number and a unit) to nanoseconds.</summary>
    public static long ParseDuration(string text, string step)
    {
        var units = new (string Suffix, long Factor)[] { ("ns", 1), ("us", 1_000), ("ms", 1_000_000), ("s", 1_000_000_000) };
        foreach (var (suffix, factor) in units)
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal)
                && long.TryParse(text[..^suffix.Length], NumberStyles.None, CultureInfo.InvariantCulture, out var amount)
                && amount <= long.MaxValue / factor)
            {
                return amount * factor;
            }
        }

        throw new UsageException($"bad duration '{text}' in step '{step}': use a whole number with ns, us, ms or s (e.g. 10ms)");
    }
}

/// <summary>Lowercase hex in memory order, both ways, as the JSON contract writes keys and values.</summary>
public static class Hex
{
    public static byte[] Parse(string text, string context)
    {
        try
        {
            return Convert.FromHexString(text);
        }
        catch (FormatException)
        {
            throw new UsageException($"'{text}' in '{context}' is not an even number of hex digits");
        }
    }

    public static string Format(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);
}
