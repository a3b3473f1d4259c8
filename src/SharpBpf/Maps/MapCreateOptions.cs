namespace SharpBpf.Maps;

/// <summary>Host-side knobs of map creation that the kernel takes from the machine.</summary>
public sealed record MapCreateOptions
{
    /// <summary>The machine's defaults.</summary>
    public static MapCreateOptions Default { get; } = new();

    /// <summary>num_possible_cpus(): how many copies a per-CPU value has. Defaults to <see cref="Environment.ProcessorCount"/>.</summary>
    public int PossibleCpus { get; init; } = Environment.ProcessorCount;

    /// <summary>The reclamation domain; every engine must enter runs on the same one (normally <see cref="EpochManager.Shared"/>).</summary>
    internal EpochManager Epochs { get; init; } = EpochManager.Shared;

    /// <summary>Whether a network interface index names a device (DEVMAP/DEVMAP_HASH updates); defaults to this machine's.</summary>
    internal Func<uint, bool> InterfaceExists { get; init; } = HostInterfaces.Exists;
}
