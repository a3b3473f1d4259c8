namespace SharpBpf.Maps;

/// <summary>BPF_MAP_CREATE refused a definition; <see cref="Errno"/> is what the kernel returns for it.</summary>
public sealed class MapCreateException : BpfException
{
    public MapCreateException(string mapName, Errno errno, string reason)
        : base($"map '{mapName}': {reason} (-{errno} = -{(int)errno})")
    {
        MapName = mapName;
        Errno = errno;
        Reason = reason;
    }

    public string MapName { get; }
    public Errno Errno { get; }
    public string Reason { get; }
}
