using System.Collections.Frozen;
using static SharpBpf.Helpers.HelperArgKind;

namespace SharpBpf.Helpers.BuiltIn;

/// <summary>
/// The helpers SharpBpf implements itself, with the kernel's ids and signatures. <see cref="CreateRegistry"/> gives a
/// registry holding all of them; a host adds or replaces helpers on it by id (with a signature for the verifier).
/// The timer helpers (169–172) are included when the environment has <see cref="HelperEnvironment.Timers"/>.
/// </summary>
public static class BuiltInHelpers
{
    private static readonly HelperSignature NoArguments = new(HelperReturnKind.Integer);

    /// <summary>The signature of every built-in helper, and of the timer helpers, by id.</summary>
    public static FrozenDictionary<HelperId, HelperSignature> Signatures { get; } = new Dictionary<HelperId, HelperSignature>
    {
        [HelperId.MapLookupElem] = new(HelperReturnKind.MapValueOrNull, ConstMapPointer, MapKey),
        [HelperId.MapUpdateElem] = new(HelperReturnKind.Integer, ConstMapPointer, MapKey, MapValue, Anything),
        [HelperId.MapDeleteElem] = new(HelperReturnKind.Integer, ConstMapPointer, MapKey),
        [HelperId.KtimeGetNs] = NoArguments,
        // Variadic: the kernel's prototype declares only the format, so r3–r5 may be left unset.
        [HelperId.TracePrintk] = new(HelperReturnKind.Integer, ReadableMemory, ConstSize),
        [HelperId.GetPrandomU32] = NoArguments,
        [HelperId.GetSmpProcessorId] = NoArguments,
        [HelperId.SkbStoreBytes] = new(HelperReturnKind.Integer, Context, Anything, ReadableMemory, ConstSize, Anything),
        [HelperId.TailCall] = new(HelperReturnKind.Void, Context, ConstMapPointer, Anything),
        [HelperId.GetCurrentPidTgid] = NoArguments,
        [HelperId.GetCurrentComm] = new(HelperReturnKind.Integer, WritableMemory, ConstSize),
        [HelperId.PerfEventOutput] = new(HelperReturnKind.Integer, Context, ConstMapPointer, Anything, ReadableMemory, ConstSizeOrZero),
        [HelperId.Redirect] = new(HelperReturnKind.Integer, Anything, Anything),
        [HelperId.SkbLoadBytes] = new(HelperReturnKind.Integer, Context, Anything, WritableMemory, ConstSize),
        [HelperId.CsumDiff] = new(HelperReturnKind.Integer, ReadableMemoryOrNull, ConstSizeOrZero, ReadableMemoryOrNull, ConstSizeOrZero, Anything),
        [HelperId.XdpAdjustHead] = new(HelperReturnKind.Integer, Context, Anything),
        [HelperId.RedirectMap] = new(HelperReturnKind.Integer, ConstMapPointer, Anything, Anything),
        [HelperId.XdpAdjustMeta] = new(HelperReturnKind.Integer, Context, Anything),
        [HelperId.XdpAdjustTail] = new(HelperReturnKind.Integer, Context, Anything),
        [HelperId.MapPushElem] = new(HelperReturnKind.Integer, ConstMapPointer, MapValue, Anything),
        [HelperId.MapPopElem] = new(HelperReturnKind.Integer, ConstMapPointer, UninitMapValue),
        [HelperId.MapPeekElem] = new(HelperReturnKind.Integer, ConstMapPointer, UninitMapValue),
        [HelperId.Strtol] = new(HelperReturnKind.Integer, ReadableMemory, ConstSize, Anything, new HelperArgument(WritableMemory, 8)),
        [HelperId.Strtoul] = new(HelperReturnKind.Integer, ReadableMemory, ConstSize, Anything, new HelperArgument(WritableMemory, 8)),
        [HelperId.Jiffies64] = NoArguments,
        [HelperId.KtimeGetBootNs] = NoArguments,
        [HelperId.RingbufOutput] = new(HelperReturnKind.Integer, ConstMapPointer, ReadableMemory, ConstSizeOrZero, Anything),
        [HelperId.RingbufReserve] = new(HelperReturnKind.RingbufMemoryOrNull, ConstMapPointer, ConstAllocSizeOrZero, Anything),
        [HelperId.RingbufSubmit] = new(HelperReturnKind.Void, RingbufMemory, Anything),
        [HelperId.RingbufDiscard] = new(HelperReturnKind.Void, RingbufMemory, Anything),
        [HelperId.RingbufQuery] = new(HelperReturnKind.Integer, ConstMapPointer, Anything),
        [HelperId.KtimeGetCoarseNs] = NoArguments,
        [HelperId.SpinLock] = new(HelperReturnKind.Void, HelperArgKind.SpinLock),
        [HelperId.SpinUnlock] = new(HelperReturnKind.Void, HelperArgKind.SpinLock),
        [HelperId.ForEachMapElem] = new(HelperReturnKind.Integer, ConstMapPointer, CallbackFunction, StackOrNull, Anything),
        [HelperId.Snprintf] = new(HelperReturnKind.Integer, WritableMemoryOrNull, ConstSizeOrZero, ConstString, ReadableMemoryOrNull, ConstSizeOrZero),
        [HelperId.TimerInit] = new(HelperReturnKind.Integer, HelperArgKind.Timer, ConstMapPointer, Anything),
        [HelperId.TimerSetCallback] = new(HelperReturnKind.Integer, HelperArgKind.Timer, CallbackFunction),
        [HelperId.TimerStart] = new(HelperReturnKind.Integer, HelperArgKind.Timer, Anything, Anything),
        [HelperId.TimerCancel] = new(HelperReturnKind.Integer, HelperArgKind.Timer),
        [HelperId.TraceVprintk] = new(HelperReturnKind.Integer, ReadableMemory, ConstSize, ReadableMemoryOrNull, ConstSizeOrZero),
        [HelperId.Loop] = new(HelperReturnKind.Integer, Anything, CallbackFunction, StackOrNull, Anything),
        [HelperId.Strncmp] = new(HelperReturnKind.Integer, ReadableMemory, ConstSize, ConstString),
        [HelperId.XdpLoadBytes] = new(HelperReturnKind.Integer, Context, Anything, WritableMemory, ConstSize),
        [HelperId.XdpStoreBytes] = new(HelperReturnKind.Integer, Context, Anything, ReadableMemory, ConstSize),
        [HelperId.MapLookupPercpuElem] = new(HelperReturnKind.MapValueOrNull, ConstMapPointer, MapKey, Anything),
        [HelperId.KtimeGetTaiNs] = NoArguments,
    }.ToFrozenDictionary();

    /// <summary>A new registry with every built-in helper, bound to <paramref name="environment"/>.</summary>
    public static HelperRegistry CreateRegistry(HelperEnvironment? environment = null)
    {
        var registry = new HelperRegistry();
        RegisterAll(registry, environment ?? new HelperEnvironment());
        return registry;
    }

    /// <summary>Adds every built-in helper to <paramref name="registry"/> (throws if one of their ids is taken).</summary>
    public static void RegisterAll(HelperRegistry registry, HelperEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(environment);
        foreach (var (id, function) in Functions(environment))
        {
            registry.Register(id, Signatures[id], function);
        }
    }

    /// <summary>The implementations, by id, bound to <paramref name="environment"/>.</summary>
    public static IReadOnlyList<(HelperId Id, HelperFunction Function)> Functions(HelperEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var maps = new MapHelpers(environment);
        var time = new TimeHelpers(environment);
        var task = new TaskHelpers(environment);
        var print = new PrintHelpers(environment);
        var tail = new TailCallHelper(environment);
        var ring = new RingBufferHelpers(environment);
        var loops = new LoopHelpers(environment);
        var packet = new PacketHelpers(environment);
        var perf = new PerfEventHelpers(environment);
        List<(HelperId, HelperFunction)> functions =
        [
            (HelperId.MapLookupElem, maps.Lookup),
            (HelperId.MapUpdateElem, maps.Update),
            (HelperId.MapDeleteElem, maps.Delete),
            (HelperId.KtimeGetNs, time.KtimeGetNs),
            (HelperId.TracePrintk, print.TracePrintk),
            (HelperId.GetPrandomU32, task.GetPrandomU32),
            (HelperId.GetSmpProcessorId, task.GetSmpProcessorId),
            (HelperId.SkbStoreBytes, packet.SkbStoreBytes),
            (HelperId.TailCall, tail.TailCall),
            (HelperId.GetCurrentPidTgid, task.GetCurrentPidTgid),
            (HelperId.GetCurrentComm, task.GetCurrentComm),
            (HelperId.PerfEventOutput, perf.Output),
            (HelperId.Redirect, packet.Redirect),
            (HelperId.SkbLoadBytes, packet.SkbLoadBytes),
            (HelperId.CsumDiff, ChecksumHelpers.CsumDiff),
            (HelperId.XdpAdjustHead, packet.XdpAdjustHead),
            (HelperId.RedirectMap, packet.RedirectMap),
            (HelperId.XdpAdjustMeta, packet.XdpAdjustMeta),
            (HelperId.XdpAdjustTail, packet.XdpAdjustTail),
            (HelperId.MapPushElem, maps.Push),
            (HelperId.MapPopElem, maps.Pop),
            (HelperId.MapPeekElem, maps.Peek),
            (HelperId.Strtol, StringHelpers.Strtol),
            (HelperId.Strtoul, StringHelpers.Strtoul),
            (HelperId.Jiffies64, time.Jiffies64),
            (HelperId.KtimeGetBootNs, time.KtimeGetBootNs),
            (HelperId.RingbufOutput, ring.Output),
            (HelperId.RingbufReserve, ring.Reserve),
            (HelperId.RingbufSubmit, ring.Submit),
            (HelperId.RingbufDiscard, ring.Discard),
            (HelperId.RingbufQuery, ring.Query),
            (HelperId.KtimeGetCoarseNs, time.KtimeGetCoarseNs),
            (HelperId.ForEachMapElem, loops.ForEachMapElem),
            (HelperId.SpinLock, SpinLockHelpers.Lock),
            (HelperId.SpinUnlock, SpinLockHelpers.Unlock),
            (HelperId.Snprintf, print.Snprintf),
            (HelperId.TraceVprintk, print.TraceVprintk),
            (HelperId.Loop, loops.Loop),
            (HelperId.Strncmp, StringHelpers.Strncmp),
            (HelperId.XdpLoadBytes, packet.XdpLoadBytes),
            (HelperId.XdpStoreBytes, packet.XdpStoreBytes),
            (HelperId.MapLookupPercpuElem, maps.LookupPercpu),
            (HelperId.KtimeGetTaiNs, time.KtimeGetTaiNs),
        ];
        if (environment.Timers is { } bindings)
        {
            var timers = new TimerHelpers(environment, bindings);
            functions.Add((HelperId.TimerInit, timers.Init));
            functions.Add((HelperId.TimerSetCallback, timers.SetCallback));
            functions.Add((HelperId.TimerStart, timers.Start));
            functions.Add((HelperId.TimerCancel, timers.Cancel));
        }

        return functions;
    }
}
