namespace SharpBpf.Loader.Internal;

/// <summary>libbpf's naming of objects and internal (global-data) maps.</summary>
internal static class ObjectNames
{
    /// <summary>BPF_OBJ_NAME_LEN: names are at most 15 characters plus NUL.</summary>
    public const int MaxNameLength = 15;

    /// <summary>libbpf copies the base name into a 16-byte buffer, then cuts it at the first '.'.</summary>
    public static string ObjectName(string fileName)
    {
        string baseName = Path.GetFileName(fileName);
        if (baseName.Length > MaxNameLength)
            baseName = baseName[..MaxNameLength];
        int dot = baseName.IndexOf('.', StringComparison.Ordinal);
        return dot >= 0 ? baseName[..dot] : baseName;
    }

    /// <summary>
    /// libbpf's <c>internal_map_name</c>: the suffix (section name) keeps at least 7 characters' room; a name with a
    /// second '.' (<c>.rodata.str1.1</c>, <c>.data.counters</c>) gets no object-name prefix; otherwise the prefix is
    /// the object name cut to fit 15 characters (8 for <c>.bss</c>/<c>.data</c>/<c>.rodata</c>); characters the
    /// kernel refuses become '_'.
    /// </summary>
    public static string InternalMapName(string objectName, string sectionName)
    {
        int suffixLength = Math.Min(Math.Max(7, sectionName.Length), MaxNameLength);
        int prefixLength = sectionName.Length > 1 && sectionName.IndexOf('.', 1) >= 0
            ? 0
            : Math.Min(MaxNameLength + 1 - suffixLength - 1, objectName.Length);
        string name = objectName[..prefixLength] + sectionName[..Math.Min(suffixLength, sectionName.Length)];
        if (name.Length > MaxNameLength)
            name = name[..MaxNameLength];
        var chars = name.ToCharArray();
        for (int i = 0; i < chars.Length; i++)
            if (!(char.IsAsciiLetterOrDigit(chars[i]) || chars[i] == '_' || chars[i] == '.'))
                chars[i] = '_';
        return new string(chars);
    }
}
