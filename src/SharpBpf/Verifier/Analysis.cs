using System.Globalization;
using System.Text;
using SharpBpf.Isa;

namespace SharpBpf.Verifier;

/// <summary>
/// One verification: explores every path of the program as the kernel's <c>do_check</c> does (fall-through first,
/// the other side of each branch later), tracking what each register and stack slot holds. At prune points a path
/// ends when a fully explored state there is equivalent (Analysis.Exploration.cs); loops are walked iteration by
/// iteration until their exit, since an unfinished ancestor never prunes. Timer callbacks are explored as their own roots.
/// </summary>
internal sealed partial class Analysis
{
    private const int MaxCallFrames = 8;

    private readonly VerifierInput _input;
    private readonly VerifierOptions _options;
    private readonly Instruction[] _code;
    private readonly int[] _functionStarts;
    private readonly bool[] _isPrunePoint;
    private readonly bool[] _isForcedCheckpoint;
    private readonly List<Checkpoint>?[] _explored;
    private readonly StateEquivalence _equivalence;
    private readonly int[] _stackDepth;
    private readonly HashSet<int> _asyncCallbacks = [];
    private readonly Dictionary<int, (long Min, long Max)?> _callbackReturnRange = [];
    private readonly Stack<PendingPath> _pending = new();
    private readonly StringBuilder _log = new();
    private readonly List<string> _path = [];
    private int _processed;
    private int _nextId = 1;
    private int _currentPc;

    /// <summary>The instruction walked before <see cref="_currentPc"/> (on whichever path): the kernel's log line before a
    /// check that fails without a message of its own, which names the rejection's instruction.</summary>
    private int _previousPc;
    private Rejection? _rejection;

    public Analysis(VerifierInput input, VerifierOptions options)
    {
        _input = input;
        _options = options;
        _code = [.. input.Instructions];
        // Like the kernel's add_subprog: every call and callback target starts a function, named in the input or not.
        var starts = input.Functions.Select(f => f.StartSlot).Append(0).Concat(CallTargets(_code)).Distinct().Order().ToArray();
        _functionStarts = starts;
        _stackDepth = new int[starts.Length];
        _explored = new List<Checkpoint>?[_code.Length];
        (_isPrunePoint, _isForcedCheckpoint) = FindPrunePoints(_code);
        _equivalence = new StateEquivalence(RegisterLiveness.LiveBefore(_code, input.Helpers));
    }

    public VerificationResult Run()
    {
        var main = new FrameState(0, -1, FrameExit.ReturnToCaller);
        main.Registers[1] = RegisterValue.Pointer(ValueKind.Context);
        main.Registers[10] = RegisterValue.Pointer(ValueKind.Stack, frame: 0);
        _pending.Push(new PendingPath(0, -1, new VerifierState(main, inAsyncCallback: false), null, [], new ulong[Checkpoint.FrameLimit]));
        bool passed;
        try
        {
            passed = (ProgramStructure.Check(_code, _functionStarts) is not { } malformed || Reject(malformed))
                && CheckDirectValueAccess() && Drain() && VerifyCalledGlobals() && CheckStackDepth();
        }
        catch (Exception bug)
        {
            // A fault in the analysis itself must not take the host down, nor let the program through unexamined.
            return Rejected(_currentPc, $"verifier bug: {bug.GetType().Name}: {bug.Message}");
        }

        if (!passed)
        {
            var rejection = _rejection ?? new Rejection(_currentPc, "verifier bug: a check failed without a reason");
            return Rejected(rejection.Pc, rejection.Reason, rejection.Detail);
        }

        _log.Append(Statistics()).Append('\n');
        return new VerificationResult(_input.ProgramName, true, null, null, _options.LogLevel == 0 ? "" : _log.ToString()) { ProcessedInstructions = _processed };
    }

    /// <summary>Explores every pending path (the kernel's do_check from one root); false at the first rejection.</summary>
    private bool Drain()
    {
        while (_pending.TryPop(out var next))
        {
            _path.Clear();
            if (next.From >= 0)
            {
                Trace($"from {next.From} to {next.Pc}: {Describe(next.State)}");
            }

            Resume(next);
            if (!Explore(next.Pc, next.From, next.State))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Records why the program is rejected and returns false, for the failing check to return: every caller passes
    /// the false on (<c>if (!CheckX(...)) return false;</c>) up to Run. The first rejection is the one reported.
    /// </summary>
    private bool Reject(int pc, string reason, string? detail = null) => Reject(new Rejection(pc, reason, detail));

    private bool Reject(Rejection rejection)
    {
        _rejection ??= rejection;
        return false;
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
        log.Append(Statistics()).Append('\n');
        return new VerificationResult(_input.ProgramName, false, reason, pc, log.ToString()) { ProcessedInstructions = _processed };
    }

    /// <summary>Follows one path until it exits, is pruned (true), or is rejected (false); branches push their other side.</summary>
    private bool Explore(int pc, int from, VerifierState state)
    {
        while (true)
        {
            if ((uint)pc >= (uint)_code.Length)
            {
                return Reject(pc, $"jump out of range from insn {pc}");
            }

            // The kernel counts an instruction before asking whether its state was seen: a pruned one counts too.
            // The kernel stops before printing this instruction: its log's last one, the instruction it names, is the
            // one before on the path (the branch, for a path just taken from the stack).
            if (++_processed > _options.InstructionLimit)
            {
                return Reject(from >= 0 ? from : pc, $"BPF program is too large. Processed {_processed} insn");
            }

            bool visited = false;
            if (_isPrunePoint[pc] && !IsStateVisited(pc, state, out visited))
            {
                return false;
            }

            if (visited)
            {
                EndPath();
                return true;
            }

            _previousPc = _currentPc;
            _currentPc = pc;
            _stepDepth = state.CurrentFrameIndex;
            _stepSpill = (-1, 0);
            _stepFromCallback = false;
            _stepLinked = null;
            var insn = _code[pc];
            if (insn.Class is InstructionClass.Jmp or InstructionClass.Jmp32)
            {
                _jumpsProcessed++;
            }

            Trace($"{pc}: {Format(pc)}");
            if (!CheckFields(pc, insn) || !Step(pc, insn, state, out int? next))
            {
                return false;
            }

            _steps.Add(CurrentStep());
            if (next is null)
            {
                EndPath();
                return true;
            }

            if (_options.LogLevel >= 2)
            {
                _log.Append(CultureInfo.InvariantCulture, $"{pc}: {Describe(state)}\n");
            }

            from = pc;
            pc = next.Value;
        }
    }

    /// <summary>
    /// Executes one instruction on the abstract state: false when it is rejected, else <paramref name="next"/> is the
    /// next pc, or null when the path ends here.
    /// </summary>
    private bool Step(int pc, Instruction insn, VerifierState state, out int? next) => insn.Class switch
    {
        InstructionClass.Alu or InstructionClass.Alu64 => Alu(pc, insn, state, out next),
        InstructionClass.Ld => LoadWide(pc, insn, state, out next),
        InstructionClass.Ldx => Load(pc, insn, state, out next),
        InstructionClass.St or InstructionClass.Stx => Store(pc, insn, state, out next),
        _ => Jump(pc, insn, state, out next),
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

    /// <summary>
    /// The kernel's prune points (visit_insn): a conditional jump itself and its target, a jump's target, the
    /// instruction after a call, a call to a subprogram and its entry, a callback's address load and the callback's
    /// entry. A helper call that runs a callback synchronously is also a forced checkpoint.
    /// </summary>
    private static (bool[] PrunePoints, bool[] Forced) FindPrunePoints(Instruction[] code)
    {
        var points = new bool[code.Length];
        var forced = new bool[code.Length];
        for (var pc = 0; pc < code.Length; pc++)
        {
            var insn = code[pc];
            if (insn.IsLoadImm64)
            {
                if (insn.Src == (byte)LoadImm64Source.Function)
                {
                    Mark(points, pc);
                    Mark(points, pc + 2);
                    Mark(points, pc + insn.Immediate + 1);
                }

                pc++;
                continue;
            }

            if (insn.Class is not (InstructionClass.Jmp or InstructionClass.Jmp32))
            {
                continue;
            }

            var op = (JumpOperation)(insn.Opcode & 0xf0);
            switch (op)
            {
                case JumpOperation.Exit:
                    continue;
                case JumpOperation.Call:
                    Mark(points, pc + 1);
                    if (insn.Src == (byte)CallSource.Local)
                    {
                        Mark(points, pc);
                        Mark(points, pc + insn.Immediate + 1);
                    }
                    else if (insn.Src == (byte)CallSource.Helper && insn.Immediate == TimerSetCallback)
                    {
                        Mark(points, pc);
                    }
                    else if (IsIteratorNext(insn))
                    {
                        // Like a callback-running call: where the loop's states converge (is_iter_next_insn).
                        Mark(points, pc);
                        Mark(forced, pc);
                    }
                    else if (insn.Src == (byte)CallSource.Helper && IsSyncCallbackHelper(insn.Immediate))
                    {
                        Mark(points, pc);
                        Mark(forced, pc);
                    }

                    continue;
                case JumpOperation.Ja:
                    Mark(points, pc + 1 + (insn.Class == InstructionClass.Jmp32 ? insn.Immediate : insn.Offset));
                    continue;
                case JumpOperation.Jcond:
                    // Where a may_goto loop's rounds converge: a checkpoint at every visit (mark_force_checkpoint).
                    Mark(points, pc);
                    Mark(forced, pc);
                    Mark(points, pc + insn.Offset + 1);
                    continue;
                default:
                    Mark(points, pc);
                    Mark(points, pc + insn.Offset + 1);
                    continue;
            }
        }

        return (points, forced);
    }

    /// <summary>bpf_for_each_map_elem, bpf_loop, bpf_find_vma, bpf_user_ringbuf_drain: helpers that call back before returning.</summary>
    private static bool IsSyncCallbackHelper(int id) => id is ForEachMapElem or Loop or FindVma or 209;

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

        if (!state.References.IsEmpty)
        {
            // As the kernel's state line ends: the references held.
            text.Append(CultureInfo.InvariantCulture, $" refs={string.Join(",", state.References.Select(reference => reference.Id))}");
        }

        return text.ToString();
    }
}
