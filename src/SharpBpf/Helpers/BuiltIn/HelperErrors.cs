using SharpBpf.Maps;
using System.Runtime.CompilerServices;

namespace SharpBpf.Helpers.BuiltIn;

/// <summary>The values built-in helpers put in r0, and the argument resolution they share.</summary>
internal static class HelperErrors
{
    public static ulong Result(Errno errno) => (ulong)errno.ToHelperResult();

    public static ulong Result(long value) => (ulong)value;

    public static readonly ulong Einval = Result(Errno.EINVAL);
    public static readonly ulong Efault = Result(Errno.EFAULT);
    public static readonly ulong Erange = Result(Errno.ERANGE);
    public static readonly ulong E2big = Result(Errno.E2BIG);
    public static readonly ulong Enospc = Result(Errno.ENOSPC);
    public static readonly ulong Enotsupp = Result(Errno.ENOTSUPP);
    public static readonly ulong Eacces = Result(Errno.EACCES);
    public static readonly ulong Enoent = Result(Errno.ENOENT);

    /// <summary>The map a <c>CONST_PTR_TO_MAP</c> argument names; a value naming no live map faults the run (the verifier rules it out).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static BpfMap Map(HelperCallContext context, HelperEnvironment environment, ulong handle, string helper)
    {
        var map = handle <= (ulong)nint.MaxValue ? environment.MapResolver((nint)handle) : null;
        if (map is null)
        {
            context.Fault($"{helper}: 0x{handle:x} is not a map");
        }

        return map;
    }

    public static IPacketContext Packet(HelperCallContext context, string helper)
    {
        var packet = context.HostState switch
        {
            IPacketContext direct => direct,
            IPacketContextProvider provider => provider.PacketContext,
            _ => null,
        };
        if (packet is null)
        {
            context.Fault($"{helper} needs a packet context, and this run has none");
        }

        return packet;
    }
}
