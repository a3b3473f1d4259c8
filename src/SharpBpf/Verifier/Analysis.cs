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
    }

    public VerificationResult Run()
    {
        ProgramValidator.Validate(_code);
        var main = new FrameState(0, -1, FrameExit.ReturnToCaller);
        main.Registers[1] = RegisterValue.Pointer(ValueKind.Context);
        main.Registers[10] = RegisterValue.Pointer(ValueKind.Stack, frame: 0);
        _pending.Push((0, -1, new VerifierState(main, inAsyncCallback: false)));
        try
        {
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
            return Rejected(rejection.Pc, rejection.Reason);
        }
        catch (Exception bug) when (bug is not InvalidInstructionException)
        {
            // A fault in the analysis itself must not take the host down, nor let the program through unexamined.
            return Rejected(_currentPc, $"verifier bug: {bug.GetType().Name}: {bug.Message}");
        }

        _log.Append(CultureInfo.InvariantCulture, $"processed {_processed} insns (limit {_options.InstructionLimit})\n");
        return new VerificationResult(_input.ProgramName, true, null, null, _options.LogLevel == 0 ? "" : _log.ToString());
    }

    private VerificationResult Rejected(int pc, string reason)
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
            Widen(state, seen);
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
    /// Forgets the bounds of the scalars that keep changing at this instruction (a loop counter), so a later state is
    /// covered and the loop ends; scalars every earlier state agrees on (a return value set before the loop) keep
    /// their value.
    /// </summary>
    private static void Widen(VerifierState state, List<VerifierState> seen)
    {
        var alike = seen.Where(old => old.Frames.Count == state.Frames.Count).ToList();
        for (var f = 0; f < state.Frames.Count; f++)
        {
            var frame = state.Frames[f];
            for (var r = 0; r < FrameState.RegisterCount; r++)
            {
                var value = frame.Registers[r];
                if (!alike.All(old => old.Frames[f].Registers[r] == value))
                {
                    frame.Registers[r] = Widened(value);
                }
            }

            foreach (var at in frame.Spills.Keys.ToArray())
            {
                var spill = frame.Spills[at];
                if (!alike.All(old => old.Frames[f].Spills.TryGetValue(at, out var theirs) && theirs == spill))
                {
                    if (spill.Value.IsScalar)
                    {
                        frame.Spills.Remove(at);
                    }
                    else
                    {
                        frame.Spills[at] = (Widened(spill.Value), spill.Size);
                    }
                }
            }
        }
    }

    /// <summary>A scalar loses its bounds; a pointer walking through memory (a loop's cursor) keeps its kind and
    /// region but not its position.</summary>
    private static RegisterValue Widened(RegisterValue value) => value.Kind switch
    {
        ValueKind.Scalar => RegisterValue.UnknownScalar,
        ValueKind.Stack or ValueKind.MapValue or ValueKind.MapKey or ValueKind.Packet or ValueKind.PacketMeta =>
            value with { Offset = 0, Range = ScalarRange.Unbounded },
        ValueKind.Context => RegisterValue.Unmodelled,
        _ => value,
    };

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
