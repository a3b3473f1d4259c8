using YamlDotNet.RepresentationModel;

namespace SharpBpf.Tests.Prevail;

/// <summary>
/// One test case of PREVAIL's YAML suite (Data/prevail, format in its README): the entry state it assumes
/// (<see cref="Pre"/>), its code as labelled blocks in order, and the diagnostics PREVAIL expects.
/// <see cref="Id"/> (file name without extension, then the 1-based position in the file) names it in the recorded files.
/// </summary>
internal sealed record PrevailCase(
    string Id,
    string Name,
    IReadOnlyList<string> Options,
    IReadOnlyList<string> Pre,
    IReadOnlyList<(string Label, IReadOnlyList<string> Lines)> Blocks,
    IReadOnlyList<string> Messages,
    bool HasObserve,
    bool IsExceptionFixture)
{
    /// <summary>
    /// PREVAIL's verdict: a rejection when a message is an error, not one of the notes it also lists (dead code,
    /// failed observations).
    /// </summary>
    public bool PrevailAccepts => Messages.All(m => m.Contains("Code becomes unreachable", StringComparison.Ordinal)
        || m.Contains("observe", StringComparison.OrdinalIgnoreCase));

    public static IEnumerable<PrevailCase> ReadFile(string path)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(path))
        {
            stream.Load(reader);
        }

        var file = Path.GetFileNameWithoutExtension(path);
        var index = 0;
        foreach (var document in stream.Documents)
        {
            if (document.RootNode is not YamlMappingNode root || !root.Children.ContainsKey("test-case")) continue;
            index++;
            yield return new PrevailCase(
                $"{file}:{index}",
                Scalar(root, "test-case") ?? "",
                Strings(root, "options"),
                Strings(root, "pre"),
                ReadBlocks(root),
                Strings(root, "messages"),
                root.Children.ContainsKey("observe"),
                root.Children.ContainsKey("expected-exception"));
        }
    }

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(key, out var value) && value is YamlScalarNode scalar ? scalar.Value : null;

    private static List<string> Strings(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(key, out var value) && value is YamlSequenceNode sequence
            ? [.. sequence.Children.OfType<YamlScalarNode>().Select(s => s.Value ?? "")]
            : [];

    private static List<(string, IReadOnlyList<string>)> ReadBlocks(YamlMappingNode root)
    {
        if (!root.Children.TryGetValue("code", out var code) || code is not YamlMappingNode blocks) return [];
        return [.. blocks.Children.Select(b => (
            ((YamlScalarNode)b.Key).Value!.Trim('<', '>'),
            (IReadOnlyList<string>)[.. (((YamlScalarNode)b.Value).Value ?? "").Split('\n')
                .Select(l => l.Split(';')[0].Trim()).Where(l => l.Length > 0)]))];
    }
}
