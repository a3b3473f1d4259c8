using System.CommandLine;
using System.IO.Compression;
using SharpBpf.Runtime;

namespace SharpBpf.Cli.Commands;

/// <summary>
/// <c>--kconfig FILE|running</c>: the Kconfig lines `.kconfig` externs (CONFIG_*) are resolved from, as libbpf's
/// kconfig option gives them: a config file (plain or .gz), or <c>running</c> for this machine's (/boot/config-*,
/// /proc/config.gz). Without it, weak CONFIG_ externs read 0 and strong ones refuse the object, as in libbpf.
/// </summary>
internal static class KconfigChoice
{
    public static Option<string?> CreateOption() => new("--kconfig")
    {
        Description = "Kconfig for CONFIG_* externs: a config file (plain or .gz) or 'running' for this machine's",
    };

    public static string? Read(string? choice)
    {
        if (choice is null) return null;
        if (choice == "running")
        {
            return KconfigResolver.ReadRunningKernelConfig()
                ?? throw new UsageException("--kconfig running: this machine has neither /boot/config-$(uname -r) nor /proc/config.gz");
        }

        if (!File.Exists(choice)) throw new UsageException($"--kconfig: no file '{choice}'");
        if (!choice.EndsWith(".gz", StringComparison.Ordinal)) return File.ReadAllText(choice);
        using var file = File.OpenRead(choice);
        using var unzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new StreamReader(unzip);
        return reader.ReadToEnd();
    }
}
