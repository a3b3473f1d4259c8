using System.Collections.Frozen;

namespace SharpBpf.Helpers.BuiltIn;

/// <summary>
/// The helpers SharpBpf implements itself, with the kernel's ids and signatures. <see cref="CreateRegistry"/> gives a
/// registry holding all of them; a host adds or replaces helpers on it by id (with a signature for the verifier).
/// The timer helpers (169–172) are included when the environment has <see cref="HelperEnvironment.Timers"/>.
/// </summary>
internal static class BuiltInHelpers
{
    /// <summary>
    /// Every signature <see cref="HelperTable"/> models, by id: the built-in helpers, the timer helpers and the kernel
    /// helpers the verifier checks without SharpBpf implementing them.
    /// </summary>
    public static FrozenDictionary<HelperId, HelperSignature> Signatures { get; } =
        HelperTable.All.Where(h => h.Signature is not null).ToFrozenDictionary(h => h.Id, h => h.Signature!);

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
            // The socket helpers have no signature: the verifier judges them itself (Analysis.Sockets.cs).
            registry.Register((int)id, HelperNames.Of(id), function, Signatures.GetValueOrDefault(id));
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
        var skb = new SkbFieldHelpers(environment);
        var route = new RouteHelpers(environment);
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
            (HelperId.RingbufReserveDynptr, ring.ReserveDynptr),
            (HelperId.RingbufSubmitDynptr, ring.SubmitDynptr),
            (HelperId.RingbufDiscardDynptr, ring.DiscardDynptr),
            (HelperId.DynptrFromMem, DynptrHelpers.FromMem),
            (HelperId.DynptrRead, DynptrHelpers.Read),
            (HelperId.DynptrWrite, DynptrHelpers.Write),
            (HelperId.DynptrData, DynptrHelpers.Data),
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
            .. SkbHelperFunctions(skb, route),
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

    /// <summary>The tc / socket filter / cgroup_skb helpers over the run's skb, and the network questions XDP and tc ask.</summary>
    private static IEnumerable<(HelperId, HelperFunction)> SkbHelperFunctions(SkbFieldHelpers skb, RouteHelpers route) =>
    [
        (HelperId.L3CsumReplace, ChecksumReplaceHelpers.L3Replace),
        (HelperId.L4CsumReplace, ChecksumReplaceHelpers.L4Replace),
        (HelperId.CsumUpdate, ChecksumReplaceHelpers.CsumUpdate),
        (HelperId.CsumLevel, ChecksumReplaceHelpers.CsumLevel),
        (HelperId.SkbPullData, SkbResizeHelpers.PullData),
        (HelperId.SkbChangeTail, SkbResizeHelpers.ChangeTail),
        (HelperId.SkbChangeHead, SkbResizeHelpers.ChangeHead),
        (HelperId.SkbChangeProto, SkbResizeHelpers.ChangeProto),
        (HelperId.SkbAdjustRoom, SkbResizeHelpers.AdjustRoom),
        (HelperId.SkbVlanPush, SkbResizeHelpers.VlanPush),
        (HelperId.SkbVlanPop, SkbResizeHelpers.VlanPop),
        (HelperId.SetHash, skb.SetHash),
        (HelperId.SetHashInvalid, skb.SetHashInvalid),
        (HelperId.GetHashRecalc, skb.GetHashRecalc),
        (HelperId.SkbChangeType, skb.ChangeType),
        (HelperId.SkbSetTstamp, skb.SetTstamp),
        (HelperId.SkbEcnSetCe, skb.EcnSetCe),
        (HelperId.SkbCgroupId, skb.SkbCgroupId),
        (HelperId.SkbAncestorCgroupId, skb.SkbAncestorCgroupId),
        (HelperId.GetSocketCookie, skb.GetSocketCookie),
        (HelperId.GetNetnsCookie, skb.GetNetnsCookie),
        (HelperId.GetSocketUid, SkbFieldHelpers.Zero),
        (HelperId.GetCgroupClassid, SkbFieldHelpers.Zero),
        (HelperId.SkbCgroupClassid, SkbFieldHelpers.Zero),
        (HelperId.GetRouteRealm, SkbFieldHelpers.Zero),
        (HelperId.SkbLoadBytesRelative, SkbFieldHelpers.LoadBytesRelative),
        (HelperId.SkbGetTunnelKey, TunnelHelpers.GetKey),
        (HelperId.SkbSetTunnelKey, TunnelHelpers.SetKey),
        (HelperId.SkbGetTunnelOpt, TunnelHelpers.GetOptions),
        (HelperId.SkbSetTunnelOpt, TunnelHelpers.SetOptions),
        (HelperId.FibLookup, route.FibLookup),
        (HelperId.CheckMtu, route.CheckMtu),
        (HelperId.CloneRedirect, route.CloneRedirect),
        (HelperId.RedirectNeigh, RouteHelpers.RedirectNeighbour),
        (HelperId.RedirectPeer, RouteHelpers.RedirectPeer),
        (HelperId.XdpGetBuffLen, RouteHelpers.XdpGetBuffLen),
        (HelperId.SkLookupTcp, SocketHelpers.LookupFindsNothing),
        (HelperId.SkLookupUdp, SocketHelpers.LookupFindsNothing),
        (HelperId.SkcLookupTcp, SocketHelpers.LookupFindsNothing),
        (HelperId.SkRelease, SocketHelpers.Release),
        (HelperId.SkFullsock, SocketHelpers.FullSocket),
        (HelperId.TcpSock, SocketHelpers.NoSuchKind),
        (HelperId.GetListenerSock, SocketHelpers.NoSuchKind),
        (HelperId.SkcToTcp6Sock, SocketHelpers.NoSuchKind),
        (HelperId.SkcToTcpSock, SocketHelpers.NoSuchKind),
        (HelperId.SkcToTcpTimewaitSock, SocketHelpers.NoSuchKind),
        (HelperId.SkcToTcpRequestSock, SocketHelpers.NoSuchKind),
        (HelperId.SkcToUdp6Sock, SocketHelpers.NoSuchKind),
    ];
}
