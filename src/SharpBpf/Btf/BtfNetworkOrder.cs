namespace SharpBpf.Btf;

/// <summary>
/// Whether a type is declared in network byte order: the first of <c>__be16</c>, <c>__be32</c>, <c>__be64</c> on its
/// typedef chain (qualifiers skipped). BTF keeps only these names to say so, so printers and encoders read them.
/// </summary>
public static class BtfNetworkOrder
{
    /// <summary>The network-order typedef's name, or null when the type is in host order.</summary>
    public static string? TypedefName(BtfSpec spec, uint typeId)
    {
        ArgumentNullException.ThrowIfNull(spec);
        for (var depth = 0; depth < 16 && spec.SkipQualifiers(typeId) is BtfTypedef typedef; depth++)
        {
            if (typedef.Name is "__be16" or "__be32" or "__be64") return typedef.Name;
            typeId = typedef.TargetId;
        }

        return null;
    }
}
