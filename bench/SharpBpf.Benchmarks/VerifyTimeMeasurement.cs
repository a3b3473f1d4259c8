using System.Diagnostics;
using System.Globalization;
using SharpBpf.Kernel;
using SharpBpf.Loader;
using SharpBpf.Runtime;

namespace SharpBpf.Benchmarks;

/// <summary>
/// <c>verify-time [DIR...]</c>: for every object of the corpus folders (Data/corpus, Data/verifier, Data/realworld and
/// the examples by default), SharpBpf's load+verify time next to Linux's load time of the same object in the same run
/// (libbpf open + BPF_PROG_LOAD of every program, i.e. the kernel's verification plus its JIT), median of 5 each,
/// interleaved. Objects Linux refuses are timed too: a rejection costs what the walk up to it costs.
/// </summary>
internal static class VerifyTimeMeasurement
{
    private const int Rounds = 5;

    public static int Run(string[] folders, TextWriter output)
    {
        var root = BenchPaths.RepositoryRoot;
        var dirs = folders.Length > 0 ? folders : [
            Path.Combine(root, "examples"), Path.Combine(root, "tests/SharpBpf.Tests/Data/corpus"),
            Path.Combine(root, "tests/SharpBpf.Tests/Data/verifier"), Path.Combine(root, "tests/SharpBpf.Tests/Data/realworld")];
        var kernel = KernelAvailability.Check() is null;
        output.WriteLine($"{"object",-44} {"insns",6} {"SharpBpf ms",12} {"Linux ms",10} {"ratio",7}");
        var ratios = new List<double>();
        foreach (var path in dirs.SelectMany(d => Directory.EnumerateFiles(d, "*.o")).Order(StringComparer.Ordinal))
        {
            CollectionSpec spec;
            try
            {
                spec = ObjectLoader.LoadFile(path);
            }
            catch (BpfException)
            {
                continue; // objects only the loader tests use
            }

            var ours = new List<double>();
            var linux = new List<double>();
            for (var round = 0; round < Rounds; round++)
            {
                ours.Add(Time(() => spec.Programs.Where(p => !p.IsOptional).Select(p => ObjectVerifier.Verify(ObjectLoader.LoadFile(path), p)).ToList()));
                if (kernel) linux.Add(Time(() => { try { KernelObject.Open(path).Dispose(); } catch (KernelLoadException) { } }));
            }

            var sharp = Median(ours);
            var theirs = kernel ? Median(linux) : double.NaN;
            if (kernel) ratios.Add(sharp / theirs);
            var insns = spec.Programs.Sum(p => p.Instructions.Length);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{Path.GetRelativePath(root, path),-44} {insns,6} {sharp,12:F2} {theirs,10:F2} {sharp / theirs,7:F2}"));
        }

        if (ratios.Count > 0)
        {
            ratios.Sort();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{ratios.Count} objects: SharpBpf / Linux median {ratios[ratios.Count / 2]:F2}, min {ratios[0]:F2}, max {ratios[^1]:F2}"));
        }

        return 0;
    }

    private static double Time(Action action)
    {
        var start = Stopwatch.GetTimestamp();
        action();
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }
}
