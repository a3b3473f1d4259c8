using System.Security.Cryptography;

namespace SharpBpf.Kernel.Internal;

/// <summary>
/// A bpffs directory owned by one <see cref="KernelObject"/>: libbpf's <c>pin_root_path</c>, so maps declared
/// with <c>LIBBPF_PIN_BY_NAME</c> are pinned (and looked up for reuse) here instead of in the shared bpffs root.
/// Why: a pin outlives the process and holds the map, so a later run would reuse the old map and count the
/// earlier run's packets again. A fresh, uniquely named directory per object means nothing is ever reused,
/// and <see cref="Remove"/> unlinks every pin and the directory itself, so nothing outlives the object.
/// </summary>
internal sealed class PrivatePinDirectory
{
    /// <summary>Where Linux mounts bpffs by convention (and where libbpf pins by default).</summary>
    public const string BpfFsRoot = "/sys/fs/bpf";

    private const string NamePrefix = "sharpbpf-";

    private PrivatePinDirectory(string path) => Path = path;

    /// <summary>The directory's absolute path, e.g. <c>/sys/fs/bpf/sharpbpf-4242-1f2e3d4c5b6a7988</c>.</summary>
    public string Path { get; }

    /// <summary>
    /// Creates a new directory under <see cref="BpfFsRoot"/>, or returns null when that is impossible (no bpffs
    /// mounted there, read-only). Objects without pinned maps never notice; an object with one then fails to load
    /// as it would without the engine's help (libbpf cannot pin), which is better than pinning somewhere shared.
    /// </summary>
    public static PrivatePinDirectory? TryCreate()
    {
        if (!OperatingSystem.IsLinux() || !Directory.Exists(BpfFsRoot)) return null;
        string name = $"{NamePrefix}{Environment.ProcessId}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}";
        string path = System.IO.Path.Combine(BpfFsRoot, name);
        try
        {
            Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            return new PrivatePinDirectory(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Unlinks every pin below the directory, then the directory. Best effort and idempotent: a pin
    /// that is already gone is fine, and a failure must not hide the caller's own error.</summary>
    public void Remove()
    {
        if (!Directory.Exists(Path)) return;
        try
        {
            // bpffs has no recursive removal; pins are files and libbpf may have made sub-directories.
            foreach (string pin in Directory.EnumerateFiles(Path, "*", SearchOption.AllDirectories)) File.Delete(pin);
            foreach (string directory in Directory.EnumerateDirectories(Path, "*", SearchOption.AllDirectories)
                         .OrderByDescending(d => d.Length))
                Directory.Delete(directory);
            Directory.Delete(Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    /// <summary>The pins currently in the directory (file names relative to it), for tests and diagnostics.</summary>
    public IReadOnlyList<string> Pins() =>
        Directory.Exists(Path)
            ? [.. Directory.EnumerateFiles(Path, "*", SearchOption.AllDirectories).Select(p => System.IO.Path.GetRelativePath(Path, p))]
            : [];
}
