using System.Globalization;
using System.Text;
using SharpBpf.Isa;

namespace SharpBpf.Verifier;

/// <summary>
/// One verification: explores every path of the program as the kernel's <c>do_check</c> does (fall-through first,
/// the other side of each branch later), tracking what each register and stack slot holds, and pruning a path when
/// an already explored state at the same instruction covers it. Where a loop would keep producing new states, scalar
/// bounds are widened so the exploration ends. Timer callbacks are explored as their own roots.
/// </summary>
internal sealed partial class Analysis
{
    private const int MaxCallFrames = 8;
    private const int StatesBeforeWidening = 16;
    private const int HullsBeforeLimits = 8;

    private readonly VerifierInput _input;
    private readonly VerifierOptions _options;
    private readonly Instruction[] _code;
    private readonly int[] _functionStarts;
    private readonly bool[] _isPrunePoint;
    private readonly List<VerifierState>?[] _explored;
    private readonly int[] _stackDepth;
    private readonly HashSet<int> _asyncCallbacks = [];
    private readonly Dictionary<int, (long Min, long Max)?> _callbackReturnRange = [];
    private readonly Stack<(int Pc, int From, VerifierState State)> _pending = new();
    private readonly StringBuilder _log = new();
    private readonly List<string> _path = [];
    private int _processed;
    private int _nextId = 1;
    private int _currentPc;
    private readonly long[] _signedThresholds;
    private readonly ulong[] _unsignedThresholds;

    public Analysis(VerifierInput input, VerifierOptions options)
    {
        _input = input;
        _options = options;
        _code = [.. input.Instructions];
        // Like the kernel's add_subprog: every call and callback target starts a function, named in the input or not.
        var starts = input.Functions.Select(f => f.StartSlot).Append(0).Concat(CallTargets(_code)).Distinct().Order().ToArray();
        _functionStarts = starts;
        _stackDepth = new int[starts.Length];
        _explored = new List<VerifierState>?[_code.Length];
        _isPrunePoint = FindPrunePoints(_code);
        (_signedThresholds, _unsignedThresholds) = FindThresholds(_code);
    }

    public VerificationResult Run()
    {
        var main = new FrameState(0, -1, FrameExit.ReturnToCaller);
        main.Registers[1] = RegisterValue.Pointer(ValueKind.Context);
        main.Registers[10] = RegisterValue.Pointer(ValueKind.Stack, frame: 0);
        _pending.Push((0, -1, new VerifierState(main, inAsyncCallback: false)));
        try
        {
            ProgramStructure.Check(_code, _functionStarts);
            while (_pending.TryPop(out var next))
            {
                _path.Clear();
                if (next.From >= 0)
                {
                    Trace($"from {next.From} to {next.Pc}: {Describe(next.State)}");
                }

                Explore(next.Pc, next.State);
            }

            CheckStackDepth();
        }
        catch (Rejection rejection)
        {
            return Rejected(rejection.Pc, rejection.Reason, rejection.Detail);
        }
        catch (Exception bug)
        {
            // A fault in the analysis itself must not take the host down, nor let the program through unexamined.
            return Rejected(_currentPc, $"verifier bug: {bug.GetType().Name}: {bug.Message}");
        }

        _log.Append(CultureInfo.InvariantCulture, $"processed {_processed} insns (limit {_options.InstructionLimit})\n");
        return new VerificationResult(_input.ProgramName, true, null, null, _options.LogLevel == 0 ? "" : _log.ToString());
    }

    private VerificationResult Rejected(int pc, string reason, string? detail = null)
    {
        var log = new StringBuilder();
        if (_options.LogLevel >= 2)
        {
            log.Append(_log);
        }
        else if (_options.LogLevel == 1)
        {
            foreach (var line in _path)
            {
                log.Append(line).Append('\n');
            }
        }

        if (detail is not null)
        {
            log.Append(detail).Append('\n');
        }

        log.Append(reason).Append('\n');
        log.Append(CultureInfo.InvariantCulture, $"processed {_processed} insns (limit {_options.InstructionLimit})\n");
        return new VerificationResult(_input.ProgramName, false, reason, pc, log.ToString());
    }

    /// <summary>Follows one path until it exits, is pruned, or is rejected; branches push their other side.</summary>
    private void Explore(int pc, VerifierState state)
    {
        while (true)
        {
            if ((uint)pc >= (uint)_code.Length)
            {
                throw new Rejection(pc, $"jump out of range from insn {pc}");
            }

            if (_isPrunePoint[pc] && IsCovered(pc, state))
            {
                return;
            }

            if (++_processed > _options.InstructionLimit)
            {
                throw new Rejection(pc, $"BPF program is too large. Processed {_processed} insn");
            }

            _currentPc = pc;
            var insn = _code[pc];
            Trace($"{pc}: {Format(pc)}");
            CheckFields(pc, insn);
            int? next = Step(pc, insn, state);
            if (next is null)
            {
                return;
            }

            if (_options.LogLevel >= 2)
            {
                _log.Append(CultureInfo.InvariantCulture, $"{pc}: {Describe(state)}\n");
            }

            pc = next.Value;
        }
    }

    private bool IsCovered(int pc, VerifierState state)
    {
        var seen = _explored[pc] ??= [];
        foreach (var old in seen)
        {
            if (old.Covers(state))
            {
                return true;
            }
        }

        if (seen.Count >= StatesBeforeWidening)
        {
            // Hulls first (a flag settles at [0, 1]); only bounds that still move after that jump to their limits.
            Widen(state, seen, _signedThresholds, _unsignedThresholds, toLimits: seen.Count >= StatesBeforeWidening + HullsBeforeLimits);
            foreach (var old in seen)
            {
                if (old.Covers(state))
                {
                    return true;
                }
            }
        }

        seen.Add(state.Clone());
        return false;
    }

    /// <summary>
    /// Joins a state with those already seen at a busy instruction (a loop head), so that a later state is covered
    /// and the loop ends: a scalar takes the hull of every value seen there, and a bound still moving (a loop counter)
    /// goes to its limit; a flag that only ever was 0 or 1 stays [0, 1], a value set before the loop stays exact.
    /// A pointer whose position keeps changing (a cursor) keeps its kind and region but not its position.
    /// </summary>
    private static void Widen(VerifierState state, List<VerifierState> seen, long[] signedThresholds, ulong[] unsignedThresholds, bool toLimits)
    {
        var alike = seen.Where(old => old.Frames.Count == state.Frames.Count).ToList();
        for (var f = 0; f < state.Frames.Count; f++)
        {
            var frame = state.Frames[f];
            for (var r = 0; r < FrameState.RegisterCount; r++)
            {
                var value = frame.Registers[r];
                var previous = alike.Select(old => old.Frames[f].Registers[r]).ToList();
                frame.Registers[r] = Join(value, previous, signedThresholds, unsignedThresholds, toLimits);
            }

            foreach (var at in frame.Spills.Keys.ToArray())
            {
                var spill = frame.Spills[at];
                var previous = new List<RegisterValue>(alike.Count);
                foreach (var old in alike)
                {
                    if (!old.Frames[f].Spills.TryGetValue(at, out var theirs) || theirs.Size != spill.Size)
                    {
                        previous = null;
                        break;
                    }

                    previous.Add(theirs.Value);
                }

                if (previous is null)
                {
                    if (spill.Value.IsScalar)
                    {
                        frame.Spills.Remove(at);
                    }
                    else
                    {
                        frame.Spills[at] = (Widened(spill.Value), spill.Size);
                    }

                    continue;
                }

                frame.Spills[at] = (Join(spill.Value, previous, signedThresholds, unsignedThresholds, toLimits), spill.Size);
            }
        }
    }

    private static RegisterValue Join(RegisterValue value, List<RegisterValue> previous, long[] signedThresholds, ulong[] unsignedThresholds, bool toLimits)
    {
        if (previous.All(old => old with { Approximate = value.Approximate } == value))
        {
            return value;
        }

        if (value.IsPacket && previous.All(old => old with { PacketRange = value.PacketRange } == value))
        {
            // The same packet position with different proven lengths: keep what every path proved.
            return value with { PacketRange = Math.Min(value.PacketRange, previous.Min(old => old.PacketRange)) };
        }

        if (!value.IsScalar || !previous.All(old => old.IsScalar))
        {
            return Widened(value);
        }

        var hull = previous[0].Range;
        foreach (var old in previous)
        {
            hull = hull.Hull(old.Range);
        }

        var now = value.Range;
        // Only a value that was already moving (a counter) jumps; one that held still until now (a flag that just
        // became 1 after a long loop) takes the hull.
        bool moving = previous.Any(old => old.Range != previous[0].Range);
        if (!toLimits || !moving)
        {
            return RegisterValue.Scalar(hull.Hull(now)) with { Approximate = true };
        }

        // Widening with thresholds: a bound still moving jumps to the next constant the program compares or
        // computes with (a loop's limit), and only past the last one to the type's limit.
        var joined = new ScalarRange(
            now.SMin < hull.SMin ? Below(signedThresholds, now.SMin) : hull.SMin,
            now.SMax > hull.SMax ? Above(signedThresholds, now.SMax) : hull.SMax,
            now.UMin < hull.UMin ? Below(unsignedThresholds, now.UMin) : hull.UMin,
            now.UMax > hull.UMax ? Above(unsignedThresholds, now.UMax) : hull.UMax);
        return RegisterValue.Scalar(joined) with { Approximate = true };
    }

    private static T Above<T>(T[] sorted, T value) where T : IComparable<T>
    {
        int index = Array.BinarySearch(sorted, value);
        return sorted[index >= 0 ? index : ~index];
    }

    private static T Below<T>(T[] sorted, T value) where T : IComparable<T>
    {
        int index = Array.BinarySearch(sorted, value);
        return sorted[index >= 0 ? index : ~index - 1];
    }

    /// <summary>Every immediate of the program and its neighbours, plus the types' limits (always first and last).</summary>
    private static (long[] Signed, ulong[] Unsigned) FindThresholds(Instruction[] code)
    {
        var values = new HashSet<long> { long.MinValue, long.MaxValue, int.MinValue, int.MaxValue, uint.MaxValue, -1, 0, 1 };
        for (var pc = 0; pc < code.Length; pc++)
        {
            long imm = code[pc].Immediate;
            if (code[pc].IsLoadImm64)
            {
                pc++;
                continue;
            }

            values.Add(imm);
            values.Add(imm - 1);
            values.Add(imm + 1);
        }

        var signed = values.Order().ToArray();
        var unsigned = values.Select(v => (ulong)v).Append(0UL).Append(ulong.MaxValue).Distinct().Order().ToArray();
        return (signed, unsigned);
    }

    /// <summary>A scalar loses its bounds; a pointer walking through memory (a loop's cursor) keeps its kind and
    /// region but not its position.</summary>
    private static RegisterValue Widened(RegisterValue value) => (value.Kind switch
    {
        ValueKind.Scalar => RegisterValue.UnknownScalar,
        ValueKind.Stack or ValueKind.MapValue or ValueKind.MapKey => value with { Offset = 0, Range = ScalarRange.Unbounded },
        // A packet cursor proves nothing any more: its next comparison with data_end must prove its bytes again.
        ValueKind.Packet or ValueKind.PacketMeta => value with { Offset = 0, Range = ScalarRange.Unbounded, PacketRange = 0 },
        ValueKind.Context => RegisterValue.Unmodelled,
        _ => value,
    }) with { Approximate = true };

    /// <summary>Executes one instruction on the abstract state; the next pc, or null when the path ends here.</summary>
    private int? Step(int pc, Instruction insn, VerifierState state) => insn.Class switch
    {
        InstructionClass.Alu or InstructionClass.Alu64 => Alu(pc, insn, state),
        InstructionClass.Ld => LoadWide(pc, insn, state),
        InstructionClass.Ldx => Load(pc, insn, state),
        InstructionClass.St or InstructionClass.Stx => Store(pc, insn, state),
        _ => Jump(pc, insn, state),
    };

    private int FunctionAt(int slot)
    {
        int index = Array.BinarySearch(_functionStarts, slot);
        return index >= 0 ? index : ~index - 1;
    }

    private int NewId() => _nextId++;

    private static IEnumerable<int> CallTargets(Instruction[] code)
    {
        for (var pc = 0; pc < code.Length; pc++)
        {
            var insn = code[pc];
            bool isCall = insn.Opcode == Opcodes.Call && insn.Src == (byte)CallSource.Local;
            bool isCallback = insn.IsLoadImm64 && insn.Src == (byte)LoadImm64Source.Function;
            int target = pc + insn.Immediate + 1;
            if ((isCall || isCallback) && (uint)target < (uint)code.Length)
            {
                yield return target;
            }

            if (insn.IsLoadImm64)
            {
                pc++;
            }
        }
    }

    private static bool[] FindPrunePoints(Instruction[] code)
    {
        var points = new bool[code.Length];
        for (var pc = 0; pc < code.Length; pc++)
        {
            var insn = code[pc];
            if (insn.IsLoadImm64)
            {
                pc++;
                continue;
            }

            if (insn.Class is not (InstructionClass.Jmp or InstructionClass.Jmp32))
            {
                continue;
            }

            var op = (JumpOperation)(insn.Opcode & 0xf0);
            if (op == JumpOperation.Call)
            {
                Mark(points, pc + 1);
                if (insn.Src == (byte)CallSource.Local)
                {
                    Mark(points, pc + insn.Immediate + 1);
                }

                continue;
            }

            if (op == JumpOperation.Exit)
            {
                continue;
            }

            int target = insn.Class == InstructionClass.Jmp32 && op == JumpOperation.Ja ? pc + insn.Immediate + 1 : pc + insn.Offset + 1;
            Mark(points, target);
            Mark(points, pc + 1);
        }

        return points;
    }

    private static void Mark(bool[] points, int pc)
    {
        if ((uint)pc < (uint)points.Length)
        {
            points[pc] = true;
        }
    }

    private string Format(int pc) => KernelInstructionFormatter.Format(
        _code[pc], pc + 1 < _code.Length ? _code[pc + 1] : null,
        slot => _input.MapReferences.TryGetValue(slot, out var reference) ? reference.Map.Name : null, pc);

    private void Trace(string line)
    {
        if (_options.LogLevel == 0)
        {
            return;
        }

        _path.Add(line);
        if (_options.LogLevel >= 2)
        {
            _log.Append(line).Append('\n');
        }
    }

    private static string Describe(VerifierState state)
    {
        var text = new StringBuilder();
        var frame = state.Current;
        if (state.Frames.Count > 1)
        {
            text.Append(CultureInfo.InvariantCulture, $"frame{state.CurrentFrameIndex}:");
        }

        for (var r = 0; r < FrameState.RegisterCount; r++)
        {
            var value = frame.Registers[r];
            if (value.Kind == ValueKind.NotInit)
            {
                continue;
            }

            if (text.Length > 0 && text[^1] != ':')
            {
                text.Append(' ');
            }

            text.Append(CultureInfo.InvariantCulture, $"R{r}={value}");
        }

        return text.ToString();
    }
}
