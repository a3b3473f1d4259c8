using System.Diagnostics;
using SharpBpf.Tests.Support;

namespace SharpBpf.Tests.Examples;

/// <summary>The committed example objects are what examples/build.sh makes of the committed C sources, byte for byte.</summary>
public class ExampleBuildTests
{
    [ClangFact]
    public void Committed_objects_match_a_fresh_build()
    {
        var source = Path.Combine(TestPaths.RepoRoot, "examples");
        var scratch = Directory.CreateTempSubdirectory("sharpbpf-examples-").FullName;
        try
        {
            foreach (var file in Directory.EnumerateFiles(source).Where(f => f.EndsWith(".c", StringComparison.Ordinal) || f.EndsWith(".sh", StringComparison.Ordinal)))
            {
                File.Copy(file, Path.Combine(scratch, Path.GetFileName(file)));
            }

            var build = Process.Start(new ProcessStartInfo("bash", [Path.Combine(scratch, "build.sh")])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            var errors = build.StandardError.ReadToEndAsync();
            _ = build.StandardOutput.ReadToEnd();
            Assert.True(build.WaitForExit(TimeSpan.FromMinutes(3)), "build.sh did not finish");
            Assert.True(build.ExitCode == 0, errors.Result);

            foreach (var committed in Directory.EnumerateFiles(source, "*.o"))
            {
                var rebuilt = Path.Combine(scratch, Path.GetFileName(committed));
                Assert.True(File.ReadAllBytes(committed).AsSpan().SequenceEqual(File.ReadAllBytes(rebuilt)),
                    $"{Path.GetFileName(committed)} differs from a fresh build: run examples/build.sh and commit the objects");
            }
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }
}

/// <summary>A fact that needs clang-19; skipped with the reason where it is missing, never in CI.</summary>
public sealed class ClangFactAttribute : FactAttribute
{
    public ClangFactAttribute()
    {
        var found = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(dir => File.Exists(Path.Combine(dir, "clang-19")));
        if (!found && Environment.GetEnvironmentVariable("CI") != "true")
        {
            Skip = "clang-19 is not installed (apt-get install clang-19 libbpf-dev)";
        }
    }
}
