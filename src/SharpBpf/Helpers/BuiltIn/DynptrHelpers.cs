using SharpBpf.Maps;

namespace SharpBpf.Helpers.BuiltIn;

/// <summary>
/// bpf_dynptr_from_mem, bpf_dynptr_read, bpf_dynptr_write and bpf_dynptr_data, as Linux 6.18 answers them: a NULL
/// dynptr or unknown flags are -EINVAL, bytes outside the dynptr -E2BIG (bpf_dynptr_data: NULL instead). The ring
/// buffer dynptrs are <see cref="RingBufferHelpers"/>'.
/// </summary>
internal static class DynptrHelpers
{
    /// <summary>The dynptr helpers: they have no <see cref="HelperSignature"/>, the verifier's dynptr model judges them.</summary>
    public static IReadOnlySet<HelperId> Ids { get; } =
        new HashSet<HelperId>
        {
            HelperId.DynptrFromMem, HelperId.RingbufReserveDynptr, HelperId.RingbufSubmitDynptr, HelperId.RingbufDiscardDynptr,
            HelperId.DynptrRead, HelperId.DynptrWrite, HelperId.DynptrData,
        };

    /// <summary>bpf_dynptr_from_mem(data, size, flags, ptr): a local dynptr over the (map value) memory.</summary>
    public static ulong FromMem(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        var dynptr = DynptrLayout.At(context, r4, "bpf_dynptr_from_mem");
        uint size = (uint)r2;
        if (size > DynptrLayout.MaxSize || r3 != 0)
        {
            dynptr.SetNull();
            return size > DynptrLayout.MaxSize ? HelperErrors.E2big : HelperErrors.Einval;
        }

        context.GetMemory(r1, size, MemoryAccess.ReadWrite);
        dynptr.Initialize(r1, DynptrType.Local, size);
        return 0;
    }

    /// <summary>bpf_dynptr_read(dst, len, src, offset, flags).</summary>
    public static ulong Read(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        const string helper = "bpf_dynptr_read";
        var source = DynptrLayout.At(context, r3, helper);
        uint length = (uint)r2, offset = (uint)r4;
        if (source.IsNull || r5 != 0)
        {
            return HelperErrors.Einval;
        }

        if (!source.Covers(offset, length))
        {
            return HelperErrors.E2big;
        }

        // The two may overlap (memmove).
        source.Slice(context, offset, length, MemoryAccess.Read, helper).CopyTo(context.GetMemory(r1, length, MemoryAccess.Write));
        return 0;
    }

    /// <summary>bpf_dynptr_write(dst, offset, src, len, flags).</summary>
    public static ulong Write(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        const string helper = "bpf_dynptr_write";
        var target = DynptrLayout.At(context, r1, helper);
        uint offset = (uint)r2, length = (uint)r4;
        if (target.IsNull || target.IsReadOnly)
        {
            return HelperErrors.Einval;
        }

        if (!target.Covers(offset, length))
        {
            return HelperErrors.E2big;
        }

        if (r5 != 0)
        {
            return HelperErrors.Einval;
        }

        context.GetMemory(r3, length, MemoryAccess.Read).CopyTo(target.Slice(context, offset, length, MemoryAccess.Write, helper));
        return 0;
    }

    /// <summary>bpf_dynptr_data(ptr, offset, len): the address of the dynptr's bytes, or NULL.</summary>
    public static ulong Data(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        const string helper = "bpf_dynptr_data";
        var dynptr = DynptrLayout.At(context, r1, helper);
        uint offset = (uint)r2, length = (uint)r3;
        if (dynptr.IsNull || !dynptr.Covers(offset, length) || dynptr.IsReadOnly)
        {
            return 0;
        }

        // Checked now, so that the slice the program then uses unproven is memory of this run.
        dynptr.Slice(context, offset, length, MemoryAccess.ReadWrite, helper);
        return dynptr.Data + dynptr.Offset + offset;
    }
}
