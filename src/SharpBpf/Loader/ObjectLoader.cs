using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Text;
using SharpBpf.Btf;
using SharpBpf.Elf;
using SharpBpf.Loader.Internal;

namespace SharpBpf.Loader;

/// <summary>
/// Turns a relocatable BPF ELF object (what <c>clang -O2 -g -target bpf</c> writes) into a <see cref="CollectionSpec"/>,
/// following libbpf's conventions (libbpf 1.x, with the legacy <c>maps</c> section of libbpf 0.x also accepted):
/// program sections by name, <c>.text</c> subprograms appended to each program that calls them, BTF-defined and
/// legacy maps, global data as one-element arrays, map/data/call/function-pointer relocations, CO-RE relocations
/// resolved against the object's own BTF.
/// <para>
/// Every problem in the input is an <see cref="ObjectLoadException"/> naming the file, section, byte offset and,
/// where one is involved, the symbol. Where libbpf is lenient this loader is stricter in two places: a corrupt
/// <c>.BTF</c> or <c>.BTF.ext</c> is an error even when no map needs BTF (libbpf drops it with a warning), and a
/// program taking a <c>bpf_timer</c> from a map whose value has no BTF timer is reported here rather than by the
/// verifier. A program in a section whose name follows no convention is kept with
/// <see cref="ProgramType.Unspecified"/> (libbpf opens such objects and refuses the program at load).
/// </para>
/// <para>
/// <c>.kconfig</c> externs get libbpf's <c>.kconfig</c> map (values are filled in when the object loads); an
/// unresolved <c>__weak</c> <c>__ksym</c> reads 0; kfunc calls are recorded by name (<see cref="ProgramSpec.KfuncReferences"/>)
/// for the runtime to resolve against the kfuncs it implements. Deliberately does not: read kernel BTF (CO-RE targets
/// are the local types), resolve strong <c>__ksym</c> variables (refused with libbpf's words), <c>struct_ops</c>,
/// or static linking of several objects; create anything live.
/// </para>
/// </summary>
public static class ObjectLoader
{
    /// <summary>libbpf keeps the license in a 64-byte buffer.</summary>
    private const int MaxLicenseLength = 63;

    /// <summary>Loads an object from memory; <paramref name="fileName"/> names it in errors and gives the object name (as libbpf's path does).</summary>
    public static CollectionSpec Load(ReadOnlyMemory<byte> bytes, string fileName)
    {
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        var elf = ElfFile.Read(bytes, fileName);
        var context = new LoadContext(elf, fileName);

        ReadBtf(context);
        string? license = ReadLicense(context);
        uint? kernelVersion = ReadKernelVersion(context);

        CodeCollector.Collect(context);
        CoreRelocator.Apply(context);
        MapCollector.Collect(context);
        ExternCollector.Collect(context);
        RelocationCollector.Collect(context);
        var programs = ProgramLinker.LinkAll(context, license);

        return new CollectionSpec(context.ObjectName, fileName, license, kernelVersion, programs,
            [.. context.Maps], context.Btf, context.BtfExt, [.. context.Notes]) { KconfigExterns = [.. context.Kconfig] };
    }

    /// <summary>Reads and loads an object file; errors name it by its file name (without the directory).</summary>
    public static CollectionSpec LoadFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Load(File.ReadAllBytes(path), Path.GetFileName(path));
    }

    private static void ReadBtf(LoadContext context)
    {
        var btfSection = context.Elf.FindSection(".BTF");
        if (btfSection is null || btfSection.IsNoBits)
            return;
        try
        {
            var btf = BtfSpec.Parse(btfSection.Data.Span);
            var extSection = context.Elf.FindSection(".BTF.ext");
            if (extSection is not null && !extSection.IsNoBits)
                context.BtfExt = BtfExtSpec.Parse(extSection.Data.Span, btf);
            context.Btf = BtfFixup.Apply(context, btf);
        }
        catch (ObjectLoadException e)
        {
            throw e.InFile(context.FileName);
        }
    }

    private static string? ReadLicense(LoadContext context)
    {
        var section = context.Elf.FindSection("license");
        if (section is null)
        {
            context.Notes.Add("no 'license' section: libbpf passes an empty license, so the verifier refuses GPL-only helpers");
            return null;
        }
        var data = section.Data.Span;
        int end = data.IndexOf((byte)0);
        if (end < 0)
            end = data.Length;
        end = Math.Min(end, MaxLicenseLength);
        return Encoding.Latin1.GetString(data[..end]);
    }

    private static uint? ReadKernelVersion(LoadContext context)
    {
        var section = context.Elf.FindSection("version");
        if (section is null)
            return null;
        if (section.Data.Length != 4)
            context.Fail($"the 'version' section has {section.Data.Length} bytes, expected 4", section, 0);
        return BinaryPrimitives.ReadUInt32LittleEndian(section.Data.Span);
    }
}
