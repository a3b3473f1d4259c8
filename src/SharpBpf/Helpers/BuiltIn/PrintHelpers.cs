using System.Buffers.Binary;
using System.Text;
using SharpBpf.Maps;

namespace SharpBpf.Helpers.BuiltIn;

/// <summary>
/// bpf_trace_printk (at most three arguments), bpf_trace_vprintk (what libbpf's bpf_printk uses past three) and
/// bpf_snprintf, with the formats of <see cref="BpfPrintf"/>. Trace output goes to the environment's
/// <see cref="ITraceSink"/> as one message per call, cut at 1023 bytes like the kernel's buffer; the return value is
/// the full formatted length either way.
/// </summary>
internal sealed class PrintHelpers(HelperEnvironment environment)
{
    /// <summary>MAX_TRACE_PRINTK_VARARGS.</summary>
    public const int TracePrintkArguments = 3;

    public ulong TracePrintk(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        var memory = context.GetMemory(r1, (uint)r2, MemoryAccess.Read);
        if (!BpfPrintf.TryTerminated(memory, out var format))
        {
            return HelperErrors.Einval;
        }

        return Trace(context, format, [r3, r4, r5]);
    }

    /// <summary>(fmt, fmt_size, data, data_len): data is an array of u64 arguments, data_len a multiple of 8 up to 96.</summary>
    public ulong TraceVprintk(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        var dataLength = (uint)r4;
        if (dataLength % 8 != 0 || dataLength > BpfPrintf.MaxVarArgs * 8 || (dataLength != 0 && r3 == 0))
        {
            return HelperErrors.Einval;
        }

        var memory = context.GetMemory(r1, (uint)r2, MemoryAccess.Read);
        if (!BpfPrintf.TryTerminated(memory, out var format))
        {
            return HelperErrors.Einval;
        }

        return Trace(context, format, ReadArguments(context, r3, dataLength));
    }

    /// <summary>(str, str_size, fmt, data, data_len): writes at most str_size-1 bytes and a NUL; returns the full length plus one.</summary>
    public ulong Snprintf(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        var dataLength = (uint)r5;
        if (dataLength % 8 != 0 || dataLength > BpfPrintf.MaxVarArgs * 8 || (dataLength != 0 && r4 == 0))
        {
            return HelperErrors.Einval;
        }

        var format = BpfPrintf.ReadConstString(context, r3, "bpf_snprintf");
        var output = new List<byte>();
        var error = BpfPrintf.Format(context, format, ReadArguments(context, r4, dataLength), output);
        if (error != 0)
        {
            return (ulong)error;
        }

        var size = (uint)r2;
        var destination = context.GetMemory(r1, size, MemoryAccess.Write);
        if (size > 0)
        {
            var copied = (int)Math.Min((uint)output.Count, size - 1);
            for (var i = 0; i < copied; i++)
            {
                destination[i] = output[i];
            }

            destination[copied] = 0;
        }

        return (ulong)output.Count + 1;
    }

    private ulong Trace(HelperCallContext context, ReadOnlySpan<byte> format, ReadOnlySpan<ulong> arguments)
    {
        var output = new List<byte>();
        var error = BpfPrintf.Format(context, format, arguments, output);
        if (error != 0)
        {
            return (ulong)error;
        }

        if (environment.TraceSink is { } sink)
        {
            // The trace event copies the buffer as a C string: up to the first NUL, at most MAX_BPRINTF_BUF - 1 bytes.
            var length = Math.Min(output.Count, BpfPrintf.MaxOutput - 1);
            var nul = output.IndexOf(0, 0, length);
            sink.Write(Encoding.Latin1.GetString([.. output.GetRange(0, nul < 0 ? length : nul)]));
        }

        return (ulong)output.Count;
    }

    private static ulong[] ReadArguments(HelperCallContext context, ulong address, uint length)
    {
        var data = context.GetMemory(address, length, MemoryAccess.Read);
        var arguments = new ulong[length / 8];
        for (var i = 0; i < arguments.Length; i++)
        {
            arguments[i] = BinaryPrimitives.ReadUInt64LittleEndian(data[(i * 8)..]);
        }

        return arguments;
    }
}
