using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using SharpBpf.Loader;

namespace SharpBpf.Runtime;

/// <summary>
/// Fills an object's <c>.kconfig</c> map as libbpf does when it loads the object: the virtual <c>LINUX_*</c> externs
/// from the host, <c>CONFIG_*</c> from <see cref="BpfObjectOptions.KernelConfig"/> (Kconfig lines, libbpf's
/// <c>kconfig</c> open option), an unresolved <c>__weak</c> extern stays 0 and an unresolved strong one refuses the
/// object. Errors use libbpf's words.
/// </summary>
internal static class KconfigResolver
{
    /// <summary>The <c>.kconfig</c> map's value for <paramref name="spec"/>, or null when the object has no kconfig externs.</summary>
    public static byte[]? Resolve(CollectionSpec spec, BpfObjectOptions options)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(options);
        if (spec.KconfigExterns.IsEmpty)
            return null;
        var last = spec.KconfigExterns.MaxBy(e => e.Offset + e.Size)!;
        var data = new byte[last.Offset + last.Size];
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in spec.KconfigExterns.Where(e => e.Name.StartsWith("LINUX_", StringComparison.Ordinal)))
        {
            ulong value = item.Name switch
            {
                "LINUX_KERNEL_VERSION" => options.LinuxKernelVersion ?? RunningKernelVersion(),
                // SharpBpf offers bpf_get_attach_cookie, and x86-64 Linux wraps syscalls (libbpf probes both).
                "LINUX_HAS_BPF_COOKIE" => 1,
                "LINUX_HAS_SYSCALL_WRAPPER" => 1,
                _ => throw Fail(spec, $"extern (kcfg) '{item.Name}': unrecognized virtual extern"),
            };
            SetNumber(spec, item, data, value);
            set.Add(item.Name);
        }

        foreach (var line in (options.KernelConfig ?? "").Split('\n'))
            ProcessLine(spec, line.TrimEnd('\r'), data, set);

        foreach (var item in spec.KconfigExterns.Where(e => !set.Contains(e.Name) && !e.IsWeak))
            throw Fail(spec, $"extern '{item.Name}' (strong): not resolved");
        return data;
    }

    /// <summary>LINUX_KERNEL_VERSION of this machine: KERNEL_VERSION(major, minor, min(patch, 255)) from uname's release.</summary>
    public static uint RunningKernelVersion()
    {
        var release = File.Exists(ReleaseFile) ? File.ReadAllText(ReleaseFile).Trim() : "";
        var numbers = release.Split('.', '-', '+').Take(3)
            .Select(part => int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0).ToList();
        while (numbers.Count < 3)
            numbers.Add(0);
        return KernelVersion(numbers[0], numbers[1], numbers[2]);
    }

    private const string ReleaseFile = "/proc/sys/kernel/osrelease";

    public static uint KernelVersion(int major, int minor, int patch) => (uint)((major << 16) + (minor << 8) + Math.Min(patch, 255));

    /// <summary>This machine's Kconfig as libbpf finds it: /boot/config-RELEASE, else /proc/config.gz; null when neither exists.</summary>
    public static string? ReadRunningKernelConfig()
    {
        var release = File.Exists(ReleaseFile) ? File.ReadAllText(ReleaseFile).Trim() : "";
        var boot = $"/boot/config-{release}";
        if (File.Exists(boot))
            return File.ReadAllText(boot);
        if (!File.Exists("/proc/config.gz"))
            return null;
        using var file = File.OpenRead("/proc/config.gz");
        using var unzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new StreamReader(unzip, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private static void ProcessLine(CollectionSpec spec, string line, byte[] data, HashSet<string> set)
    {
        if (!line.StartsWith("CONFIG_", StringComparison.Ordinal))
            return;
        int separator = line.IndexOf('=', StringComparison.Ordinal);
        if (separator < 0)
            throw Fail(spec, $"failed to parse '{line}': no separator");
        if (separator == line.Length - 1)
            throw Fail(spec, $"failed to parse '{line}': no value");
        string name = line[..separator];
        string value = line[(separator + 1)..];
        var item = spec.KconfigExterns.FirstOrDefault(e => e.Name == name);
        // The first line for a name wins, as in libbpf.
        if (item is null || !set.Add(name))
            return;
        switch (value[0])
        {
            case 'y' or 'n' or 'm':
                SetTristate(spec, item, data, value[0]);
                break;
            case '"':
                SetString(spec, item, data, value);
                break;
            default:
                if (!TryParseNumber(value, out var number))
                    throw Fail(spec, $"extern (kcfg) '{name}': value '{value}' isn't a valid integer");
                if (item.Kind is not (KconfigKind.Integer or KconfigKind.Char))
                    throw Fail(spec, $"extern (kcfg) '{name}': value '{value}' implies integer type");
                SetNumber(spec, item, data, number);
                break;
        }
    }

    private static void SetTristate(CollectionSpec spec, KconfigExtern item, byte[] data, char value)
    {
        switch (item.Kind)
        {
            case KconfigKind.Bool when value == 'm':
                throw Fail(spec, $"extern (kcfg) '{item.Name}': value '{value}' implies tristate or char type");
            case KconfigKind.Bool:
                data[item.Offset] = value == 'y' ? (byte)1 : (byte)0;
                break;
            case KconfigKind.Tristate:
                BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan((int)item.Offset), value switch { 'y' => 1u, 'm' => 2u, _ => 0u });
                break;
            case KconfigKind.Char:
                data[item.Offset] = (byte)value;
                break;
            default:
                throw Fail(spec, $"extern (kcfg) '{item.Name}': value '{value}' implies bool, tristate, or char type");
        }
    }

    private static void SetString(CollectionSpec spec, KconfigExtern item, byte[] data, string value)
    {
        if (item.Kind != KconfigKind.CharArray)
            throw Fail(spec, $"extern (kcfg) '{item.Name}': value '{value}' implies char array type");
        if (value.Length < 2 || value[^1] != '"')
            throw Fail(spec, $"extern (kcfg) '{item.Name}': invalid string config '{value}'");
        var bytes = Encoding.UTF8.GetBytes(value[1..^1]);
        // libbpf keeps what fits and always ends the array with NUL.
        int kept = Math.Min(bytes.Length, (int)item.Size - 1);
        bytes.AsSpan(0, kept).CopyTo(data.AsSpan((int)item.Offset));
        data[item.Offset + kept] = 0;
    }

    private static void SetNumber(CollectionSpec spec, KconfigExtern item, byte[] data, ulong value)
    {
        if (item.Kind is not (KconfigKind.Integer or KconfigKind.Char or KconfigKind.Bool))
            throw Fail(spec, $"extern (kcfg) '{item.Name}': value '{value}' implies integer, char, or boolean type");
        if (item.Kind == KconfigKind.Bool && value > 1)
            throw Fail(spec, $"extern (kcfg) '{item.Name}': value '{value}' isn't boolean compatible");
        if (!FitsIn(item, value))
            throw Fail(spec, $"extern (kcfg) '{item.Name}': value '{value}' doesn't fit in {item.Size} bytes");
        var slot = data.AsSpan((int)item.Offset, (int)item.Size);
        Span<byte> whole = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(whole, value);
        whole[..slot.Length].CopyTo(slot);
    }

    /// <summary>libbpf's range check: a signed slot holds [-2^(n-1), 2^(n-1)), an unsigned one [0, 2^n).</summary>
    private static bool FitsIn(KconfigExtern item, ulong value)
    {
        int bits = (int)item.Size * 8;
        if (bits >= 64)
            return true;
        return item.IsSigned ? value + (1UL << (bits - 1)) < 1UL << bits : value >> bits == 0;
    }

    /// <summary>strtoull with base 0: decimal, 0x hex or 0 octal, a leading '-' wrapping around.</summary>
    private static bool TryParseNumber(string text, out ulong value)
    {
        value = 0;
        bool negative = text.StartsWith('-');
        string digits = negative ? text[1..] : text;
        bool parsed = digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? ulong.TryParse(digits[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value)
            : digits.Length > 1 && digits[0] == '0'
                ? TryParseOctal(digits, out value)
                : ulong.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        if (negative)
            value = unchecked(0 - value);
        return parsed;
    }

    private static bool TryParseOctal(string digits, out ulong value)
    {
        value = 0;
        foreach (var c in digits)
        {
            if (c is < '0' or > '7')
                return false;
            value = value * 8 + (ulong)(c - '0');
        }

        return true;
    }

    private static ObjectLoadException Fail(CollectionSpec spec, string reason) =>
        new ObjectLoadException(reason).InFile(spec.FileName ?? spec.ObjectName);
}
