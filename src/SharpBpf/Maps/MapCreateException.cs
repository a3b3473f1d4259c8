namespace SharpBpf.Maps;

/// <summary>BPF_MAP_CREATE refused a definition; <see cref="Errno"/> is what the kernel returns for it.</summary>
public sealed class MapCreateException : BpfException
{
    /// <summary>Creates the exception for map <paramref name="mapName"/>, refused with <paramref name="errno"/> because of <paramref name="reason"/>.</summary>
    public MapCreateException(string mapName, Errno errno, string reason)
        : base($"map '{mapName}': {reason} (-{errno} = -{(int)errno})")
    {
        MapName = mapName;
        Errno = errno;
        Reason = reason;
    }

    /// <summary>The map that was refused.</summary>
    public string MapName { get; }
    /// <summary>What BPF_MAP_CREATE returns for this definition in Linux (<c>-errno</c>).</summary>
    public Errno Errno { get; }
    /// <summary>Why, in words.</summary>
    public string Reason { get; }
}
