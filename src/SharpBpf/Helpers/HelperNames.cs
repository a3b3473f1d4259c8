namespace SharpBpf.Helpers;

/// <summary>The kernel's helper names (uapi <c>bpf.h</c> without the <c>bpf_</c> prefix), from <see cref="HelperTable"/>.</summary>
internal static class HelperNames
{
    /// <summary><c>map_lookup_elem</c> for <see cref="HelperId.MapLookupElem"/>; ids the kernel does not define print as the number.</summary>
    public static string Of(HelperId id) =>
        HelperTable.TryGet((int)id, out var info) ? info.Name : ((int)id).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The id of a kernel helper name, with or without the <c>bpf_</c> prefix.</summary>
    public static bool TryParse(string name, out HelperId id)
    {
        ArgumentNullException.ThrowIfNull(name);
        var found = HelperTable.TryGet(name, out var info);
        id = found ? info!.Id : HelperId.Unspec;
        return found;
    }
}
