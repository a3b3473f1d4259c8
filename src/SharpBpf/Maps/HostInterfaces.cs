namespace SharpBpf.Maps;

/// <summary>
/// Which interface indexes exist, for DEVMAP and DEVMAP_HASH updates (the kernel refuses an ifindex with no device,
/// -EINVAL). By default the indexes of this machine's network namespace, read from <c>/sys/class/net/*/ifindex</c>,
/// so SharpBpf accepts exactly what the local kernel would; elsewhere every non-zero index is taken to exist.
/// </summary>
internal static class HostInterfaces
{
    private const string NetClassFolder = "/sys/class/net";

    public static bool Exists(uint ifIndex)
    {
        if (ifIndex == 0) return false;
        if (!Directory.Exists(NetClassFolder)) return true;
        foreach (var device in Directory.EnumerateDirectories(NetClassFolder))
        {
            var file = Path.Combine(device, "ifindex");
            if (File.Exists(file) && uint.TryParse(File.ReadAllText(file).Trim(), out var index) && index == ifIndex) return true;
        }
        return false;
    }
}
