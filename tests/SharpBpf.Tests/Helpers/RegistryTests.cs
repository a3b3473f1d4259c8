using System.Runtime.InteropServices;
using SharpBpf.Execution;
using SharpBpf.Helpers;
using SharpBpf.Helpers.BuiltIn;
using SharpBpf.Interpreter;
using SharpBpf.Isa;
using static SharpBpf.Tests.Helpers.HelperKit;
using static SharpBpf.Tests.Interpreter.Insn;

namespace SharpBpf.Tests.Helpers;

public class RegistryTests
{
    [Theory]
    [InlineData(HelperId.MapLookupElem, 1, "map_lookup_elem")]
    [InlineData(HelperId.MapUpdateElem, 2, "map_update_elem")]
    [InlineData(HelperId.MapDeleteElem, 3, "map_delete_elem")]
    [InlineData(HelperId.ProbeRead, 4, "probe_read")]
    [InlineData(HelperId.KtimeGetNs, 5, "ktime_get_ns")]
    [InlineData(HelperId.TracePrintk, 6, "trace_printk")]
    [InlineData(HelperId.GetPrandomU32, 7, "get_prandom_u32")]
    [InlineData(HelperId.GetSmpProcessorId, 8, "get_smp_processor_id")]
    [InlineData(HelperId.SkbStoreBytes, 9, "skb_store_bytes")]
    [InlineData(HelperId.TailCall, 12, "tail_call")]
    [InlineData(HelperId.GetCurrentPidTgid, 14, "get_current_pid_tgid")]
    [InlineData(HelperId.GetCurrentComm, 16, "get_current_comm")]
    [InlineData(HelperId.Redirect, 23, "redirect")]
    [InlineData(HelperId.SkbLoadBytes, 26, "skb_load_bytes")]
    [InlineData(HelperId.CsumDiff, 28, "csum_diff")]
    [InlineData(HelperId.XdpAdjustHead, 44, "xdp_adjust_head")]
    [InlineData(HelperId.RedirectMap, 51, "redirect_map")]
    [InlineData(HelperId.XdpAdjustMeta, 54, "xdp_adjust_meta")]
    [InlineData(HelperId.XdpAdjustTail, 65, "xdp_adjust_tail")]
    [InlineData(HelperId.MapPushElem, 87, "map_push_elem")]
    [InlineData(HelperId.MapPopElem, 88, "map_pop_elem")]
    [InlineData(HelperId.MapPeekElem, 89, "map_peek_elem")]
    [InlineData(HelperId.Strtol, 105, "strtol")]
    [InlineData(HelperId.Strtoul, 106, "strtoul")]
    [InlineData(HelperId.Jiffies64, 118, "jiffies64")]
    [InlineData(HelperId.KtimeGetBootNs, 125, "ktime_get_boot_ns")]
    [InlineData(HelperId.RingbufOutput, 130, "ringbuf_output")]
    [InlineData(HelperId.RingbufReserve, 131, "ringbuf_reserve")]
    [InlineData(HelperId.RingbufSubmit, 132, "ringbuf_submit")]
    [InlineData(HelperId.RingbufDiscard, 133, "ringbuf_discard")]
    [InlineData(HelperId.RingbufQuery, 134, "ringbuf_query")]
    [InlineData(HelperId.KtimeGetCoarseNs, 160, "ktime_get_coarse_ns")]
    [InlineData(HelperId.ForEachMapElem, 164, "for_each_map_elem")]
    [InlineData(HelperId.Snprintf, 165, "snprintf")]
    [InlineData(HelperId.TimerInit, 169, "timer_init")]
    [InlineData(HelperId.TimerSetCallback, 170, "timer_set_callback")]
    [InlineData(HelperId.TimerStart, 171, "timer_start")]
    [InlineData(HelperId.TimerCancel, 172, "timer_cancel")]
    [InlineData(HelperId.TraceVprintk, 177, "trace_vprintk")]
    [InlineData(HelperId.Loop, 181, "loop")]
    [InlineData(HelperId.Strncmp, 182, "strncmp")]
    [InlineData(HelperId.XdpLoadBytes, 189, "xdp_load_bytes")]
    [InlineData(HelperId.XdpStoreBytes, 190, "xdp_store_bytes")]
    [InlineData(HelperId.MapLookupPercpuElem, 195, "map_lookup_percpu_elem")]
    [InlineData(HelperId.KtimeGetTaiNs, 208, "ktime_get_tai_ns")]
    [InlineData(HelperId.UserRingbufDrain, 209, "user_ringbuf_drain")]
    [InlineData(HelperId.CgrpStorageDelete, 211, "cgrp_storage_delete")]
    public void Ids_and_names_are_the_kernel_ones(object boxedId, int number, string name)
    {
        var id = (HelperId)boxedId;
        Assert.Equal(number, (int)id);
        Assert.Equal(name, HelperNames.Of(id));
        Assert.True(HelperNames.TryParse("bpf_" + name, out var parsed));
        Assert.Equal(id, parsed);
    }

    [Fact]
    public void The_id_list_has_no_gaps()
    {
        var values = Enum.GetValues<HelperId>().Select(v => (int)v).ToArray();
        Assert.Equal(Enumerable.Range(0, 212), values);
    }

    [SkippableFact]
    public void The_id_list_matches_the_installed_uapi_header_order()
    {
        const string header = "/usr/include/linux/bpf.h";
        Skip.IfNot(File.Exists(header), $"{header} is not installed (apt-get install linux-libc-dev)");

        // Helpers are listed in id order, one per line: FN(name) in older headers, FN(name, id, ...) in newer ones.
        var names = File.ReadLines(header)
            .Select(l => l.Trim())
            .Where(l => l.StartsWith("FN(", StringComparison.Ordinal))
            .Select(l => l[3..l.IndexOfAny([')', ','])])
            .ToList();
        Assert.True(names.Count > 100, $"{header} lists only {names.Count} helpers: its format changed?");
        for (var i = 1; i < names.Count; i++)
        {
            Assert.Equal(names[i], HelperNames.Of((HelperId)i));
        }
    }

    [Fact]
    public void The_default_registry_holds_every_built_in_with_its_signature_and_no_timer_helper()
    {
        var registry = BuiltInHelpers.CreateRegistry();
        var helpers = registry.Snapshot();
        Assert.Equal(98, helpers.Count);
        foreach (var helper in helpers)
        {
            Assert.Equal(SocketHelpers.Ids.Contains((HelperId)helper.Id) || DynptrHelpers.Ids.Contains((HelperId)helper.Id) ? null : BuiltInHelpers.Signatures[(HelperId)helper.Id], helper.Signature);
            Assert.Equal(HelperNames.Of((HelperId)helper.Id), helper.Name);
        }

        Assert.False(registry.TryGet((int)HelperId.TimerInit, out _));
        Assert.Equal(HelperReturnKind.MapValueOrNull, BuiltInHelpers.Signatures[HelperId.MapLookupElem].Returns);
        Assert.Equal([HelperArgKind.ConstMapPointer, HelperArgKind.MapKey], BuiltInHelpers.Signatures[HelperId.MapLookupElem].Arguments.Select(a => a.Kind));
        Assert.True(BuiltInHelpers.Signatures[HelperId.Loop].TakesCallback);
        Assert.Equal(8, BuiltInHelpers.Signatures[HelperId.Strtol].Arguments[3].FixedSize);
    }

    [Fact]
    public void A_host_registers_its_own_helper_by_id_and_may_replace_a_built_in()
    {
        var registry = BuiltInHelpers.CreateRegistry(HelperKit.Environment());
        var signature = new HelperSignature(HelperReturnKind.Integer, HelperArgKind.Anything);
        registry.Register(1000, "host_double", (_, r1, _, _, _, _) => r1 * 2, signature);
        Assert.Throws<ArgumentException>(() => registry.Register(HelperId.KtimeGetNs, BuiltInHelpers.Signatures[HelperId.KtimeGetNs], (_, _, _, _, _, _) => 1));
        registry.Replace((int)HelperId.KtimeGetNs, "ktime_get_ns", (_, _, _, _, _, _) => 99, BuiltInHelpers.Signatures[HelperId.KtimeGetNs]);
        var program = P(Mov(1, 21), CallHelper(1000), MovReg(6, 0), Call(HelperId.KtimeGetNs), AddReg(0, 6), Exit());
        Assert.Equal(141UL, Run(program, registry));
        Assert.True(registry.TryGet(1000, out var descriptor));
        Assert.Equal(signature, descriptor.Signature);
    }

    [Fact]
    public void Signatures_compare_by_value_and_take_at_most_five_arguments()
    {
        Assert.Equal(new HelperSignature(HelperReturnKind.Void, HelperArgKind.Context), new HelperSignature(HelperReturnKind.Void, HelperArgKind.Context));
        Assert.NotEqual(new HelperSignature(HelperReturnKind.Void, HelperArgKind.Context), new HelperSignature(HelperReturnKind.Integer, HelperArgKind.Context));
        Assert.Throws<ArgumentException>(() => new HelperSignature(HelperReturnKind.Void, [.. Enumerable.Repeat(new HelperArgument(HelperArgKind.Anything), 6)]));
    }

    [Fact]
    public void Unwind_with_zero_ends_the_run_with_zero_even_from_a_callback()
    {
        var registry = ConformanceHelpers.CreateRegistry();
        Assert.Equal(0UL, Run(P(Mov(1, 0), CallHelper(5), Mov(0, 42), Exit()), registry));
        Assert.Equal(43UL, Run(P(Mov(1, 1), CallHelper(5), Add(0, 42), Exit()), registry));

        var loop = BuiltInHelpers.Functions(HelperKit.Environment()).Single(f => f.Id == HelperId.Loop).Function;
        registry.Register((int)HelperId.Loop, "loop", loop);
        var output = GC.AllocateArray<ulong>(1, pinned: true);
        var address = (ulong)Marshal.UnsafeAddrOfPinnedArrayElement(output, 0);
        // main: loop(10, cb, &out); return 99.   cb(i, ctx): *ctx += 1; unwind(i == 2 ? 0 : 1); return 0
        var body = P(MovReg(3, 1), Mov(1, 10), LoadCallback(2), Mov(4, 0), Call(HelperId.Loop), Mov(0, 99), Exit());
        var callback = P(LdxDw(4, 2, 0), Add(4, 1), StxDw(2, 0, 4), Mov(6, 1), JneImm(1, 2, 1), Mov(6, 0), MovReg(1, 6), CallHelper(5), Mov(0, 0), Exit());
        var program = ResolveCallbacks(P(body, callback), body.Length);
        var context = new RunContext { R1 = address }.AddRegion((nint)address, 8, MemoryAccess.ReadWrite);
        Assert.Equal(0UL, InterpreterEngine.Instance.Prepare(program, new EngineOptions { Helpers = registry }).Run(context));
        Assert.Equal(3UL, output[0]);
    }
}
