using System.Text;

namespace SharpBpf;

/// <summary>
/// An object file (ELF, BTF, relocations, map definitions) cannot be loaded. The message reads like a path to
/// the problem: <c>prog.o: section 'xdp' +0x20: relocation against unknown symbol 'counters'</c>.
/// ELF, BTF and loader problems all use this one type; the section says where (<c>.BTF</c>, <c>.maps</c>, …).
/// </summary>
public sealed class ObjectLoadException : BpfException
{
    /// <summary>Creates the exception; the message is built from the parts that are given.</summary>
    /// <param name="reason">What is wrong, without the position.</param>
    /// <param name="fileName">The object file, when known.</param>
    /// <param name="sectionName">The ELF section at fault.</param>
    /// <param name="offset">Byte offset within the section (or the file).</param>
    /// <param name="symbolName">The symbol involved.</param>
    /// <param name="inner">The exception that caused this one.</param>
    public ObjectLoadException(string reason, string? fileName = null, string? sectionName = null,
        long? offset = null, string? symbolName = null, Exception? inner = null)
        : base(Format(reason, fileName, sectionName, offset, symbolName), inner)
    {
        Reason = reason;
        FileName = fileName;
        SectionName = sectionName;
        Offset = offset;
        SymbolName = symbolName;
    }

    /// <summary>What is wrong, without the position.</summary>
    public string Reason { get; }

    /// <summary>The object file, or null when the bytes were loaded without a name.</summary>
    public string? FileName { get; }

    /// <summary>The section the problem is in; for BTF problems <c>.BTF</c> or <c>.BTF.ext</c>.</summary>
    public string? SectionName { get; }

    /// <summary>Byte offset within the section (or within the file when there is no section).</summary>
    public long? Offset { get; }

    /// <summary>The ELF symbol involved (a map, a function, a relocation target), when there is one.</summary>
    public string? SymbolName { get; }

    /// <summary>The same problem, placed in a file (readers that work on bytes do not know the file name).</summary>
    internal ObjectLoadException InFile(string fileName) =>
        FileName is null ? new ObjectLoadException(Reason, fileName, SectionName, Offset, SymbolName, InnerException) : this;

    private static string Format(string reason, string? fileName, string? sectionName, long? offset, string? symbolName)
    {
        var text = new StringBuilder();
        if (fileName is not null) text.Append(fileName).Append(": ");
        if (sectionName is not null) text.Append("section '").Append(sectionName).Append("' ");
        if (offset is not null) text.Append("+0x").Append(offset.Value.ToString("x", System.Globalization.CultureInfo.InvariantCulture)).Append(' ');
        if (symbolName is not null) text.Append("symbol '").Append(symbolName).Append("' ");
        if (text.Length > 0 && text[^1] == ' ') text.Length--;
        if (text.Length > 0 && text[^1] != ' ') text.Append(": ");
        return text.Append(reason).ToString();
    }
}
