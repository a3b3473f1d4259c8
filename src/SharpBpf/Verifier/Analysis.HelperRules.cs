using SharpBpf.Helpers;
using SharpBpf.Maps;

namespace SharpBpf.Verifier;

/// <summary>
/// The kernel's check_helper_call before the arguments, and check_mem_size_reg for size arguments: the rules that
/// come from <see cref="HelperTable"/> (unknown id, program type, GPL, sleeping) and from the size register.
/// </summary>
internal sealed partial class Analysis
{
    // The kernel's BPF_MAX_VAR_SIZ: a size argument must be proven below it.
    private const ulong MaxVariableSize = 1UL << 29;

    /// <summary>In the kernel's order: the id exists, the program type offers it, the license allows it, it may sleep here.</summary>
    private bool CheckHelperIsCallable(int pc, int id, VerifierState state, out HelperInfo? callable)
    {
        callable = null;
        if (!HelperTable.TryGet(id, out var info))
        {
            if (_input.HostHelperIds.Contains(id) || _input.Helpers.ContainsKey(id))
            {
                return true;
            }

            return Reject(pc, $"invalid func unknown#{id}");
        }

        var type = _input.ProgramType ?? 0;
        if (HelperTable.IsOffered(id, type) == false)
        {
            return Reject(pc, $"program of this type cannot use helper {info.KernelName}#{id}");
        }

        if (!_input.IsGplCompatible && info.IsGplOnlyFor(type))
        {
            return Reject(pc, "cannot call GPL-restricted function from non-GPL compatible program");
        }

        if (IsRefusedByAllowedHook(id, type))
        {
            return Reject(pc, "helper call is not allowed in probe");
        }

        // A timer callback runs in softirq context: never sleepable, even in a sleepable program.
        if (info.MightSleep && (!_input.IsSleepable || state.InAsyncCallback))
        {
            return Reject(pc, "helper call might sleep in a non-sleepable prog");
        }

        callable = info;
        return true;
    }

    private const uint TracepointType = 5, PerfEventType = 7, RawTracepointType = 17, RawTracepointWritableType = 24, SyscallType = 31;

    /// <summary>
    /// A helper's <c>allowed</c> hook refusing the program (measured on 6.18.44, Data/helpers/measured.txt "A"): the
    /// tracing variants of sk storage and bpf_d_path need an attach type a syscall program does not have.
    /// </summary>
    private static bool IsRefusedByAllowedHook(int id, uint type) =>
        type == SyscallType && id is (int)HelperId.SkStorageGet or (int)HelperId.SkStorageDelete or (int)HelperId.DPath;

    /// <summary>
    /// check_get_func_ip, after the arguments: bpf_get_func_ip is offered to these types, but only kprobes and tracing
    /// programs can answer it (measured on 6.18.44, Data/helpers/measured.txt "F").
    /// </summary>
    private bool CheckFuncIpSupported(int pc, int id, uint? type)
    {
        if (id == (int)HelperId.GetFuncIp && type is TracepointType or PerfEventType or RawTracepointType or RawTracepointWritableType or SyscallType)
        {
            return Reject(pc, $"func bpf_get_func_ip#{id} not supported for program type {type}");
        }

        return true;
    }

    /// <summary>
    /// check_mem_size_reg: the size register must be non-negative, non-zero unless the argument allows zero, and
    /// bounded; the memory argument before it is then checked for its largest value.
    /// </summary>
    private bool CheckSizeRegister(int pc, VerifierState state, int register, bool zeroAllowed, out ulong largest)
    {
        var size = state.Registers[register];
        largest = 0;
        if (!size.IsScalar)
        {
            // A pointer as a size is refused earlier by the kernel's type check; SharpBpf does not model that yet.
            return true;
        }

        if (size.Range.SMin < 0)
        {
            return Reject(pc, $"R{register} min value is negative, either use unsigned or 'var &= const'");
        }

        if (size.Range.UMin == 0 && !zeroAllowed)
        {
            return Reject(pc, string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"R{register} invalid zero-sized read: u64=[{size.Range.UMin},{size.Range.UMax}]"));
        }

        if (size.Range.UMax >= MaxVariableSize)
        {
            return Reject(pc, $"R{register} unbounded memory access, use 'var &= const' or 'if (var < const)'");
        }

        largest = size.Range.UMax;
        return true;
    }

    /// <summary>
    /// The key of an array lookup when the stack holds it as a constant the kernel can see (get_constant_map_key):
    /// bytes known to be zero at any offset, or a constant spilled at an 8-byte aligned slot with the key's width.
    /// </summary>
    private static ulong? ConstantArrayKey(VerifierState state, RegisterValue key, VerifierMap map)
    {
        if (map.Type is not (MapType.Array or MapType.PercpuArray) || key.Kind != ValueKind.Stack || !key.HasConstantOffset)
        {
            return null;
        }

        var frame = state.Frames[Math.Min(key.Frame, state.CurrentFrameIndex)];
        int at = (int)(key.Offset + (long)key.Range.Value);
        if (!frame.Spills.TryGetValue(at, out var spill) || spill.Size != map.KeySize || !spill.Value.IsScalar || !spill.Value.Range.IsConstant)
        {
            return null;
        }

        ulong value = spill.Value.Range.Value;
        // A non-zero constant below 8 bytes stored off an 8-byte boundary is "misc" bytes to the kernel; zeros stay zeros.
        return value == 0 || at % 8 == 0 ? value : null;
    }
}
