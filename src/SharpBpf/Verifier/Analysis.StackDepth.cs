using SharpBpf.Helpers;
using SharpBpf.Isa;

namespace SharpBpf.Verifier;

internal sealed partial class Analysis
{
    private const int MaxStack = 512;

    /// <summary>
    /// A subprogram that tail-calls may have at most this many bytes of frames below it: Linux bounds the stack a
    /// chain of 33 tail calls through subprograms can pile up (each target replaces only the subprogram's frame).
    /// </summary>
    private const int MaxStackBelowTailCall = 256;

    /// <summary>
    /// The kernel's check_max_stack_depth, run once every path is verified: from the main program and from each timer
    /// callback (a root of its own, R25), every chain of calls must fit in 512 bytes, each function's stack rounded
    /// up to 16 bytes as the x86-64 JIT lays it out.
    /// </summary>
    private bool CheckStackDepth()
    {
        if (!Walk(0, frame: 0, depth: 0, callSite: 0, [], inCallback: false))
        {
            return false;
        }

        foreach (var root in _asyncCallbacks.Order())
        {
            if (!Walk(root, frame: 0, depth: 0, callSite: _functionStarts[root], [], inCallback: false))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// <paramref name="inCallback"/>: a frame below this one is a callback of a helper such as bpf_loop (the
    /// function itself may be that callback only when <paramref name="isCallback"/>).
    /// </summary>
    private bool Walk(int function, int frame, int depth, int callSite, HashSet<int> onPath, bool inCallback, bool isCallback = false)
    {
        if (frame > 0 && TailCallIn(function) is { } tailCall && !CheckTailCallPlace(tailCall, depth, callSite, inCallback, isCallback))
        {
            return false;
        }

        depth += (_stackDepth[function] + 15) & ~15;
        if (depth > MaxStack)
        {
            return Reject(callSite, $"combined stack size of {frame + 1} calls is {depth}. Too large");
        }

        if (!onPath.Add(function))
        {
            return true;
        }

        int start = _functionStarts[function];
        int end = function + 1 < _functionStarts.Length ? _functionStarts[function + 1] : _code.Length;
        for (var pc = start; pc < end; pc++)
        {
            var insn = _code[pc];
            bool isCall = insn.Opcode == Opcodes.Call && insn.Src == (byte)CallSource.Local;
            bool isCallbackReference = insn.IsLoadImm64 && insn.Src == (byte)LoadImm64Source.Function;
            if (isCall || isCallbackReference)
            {
                int callee = FunctionAt(pc + insn.Immediate + 1);
                // A timer callback does not run on its arming program's stack unless called directly.
                if (isCall || !_asyncCallbacks.Contains(callee))
                {
                    if (frame + 1 >= MaxCallFrames)
                    {
                        return Reject(pc, $"the call stack of {frame + 1} frames is too deep !");
                    }

                    if (!Walk(callee, frame + 1, depth, pc, onPath, inCallback || isCallback, isCallbackReference))
                    {
                        return false;
                    }
                }
            }

            if (insn.IsLoadImm64)
            {
                pc++;
            }
        }

        onPath.Remove(function);
        return true;
    }

    /// <summary>
    /// Linux's rules for a tail call below the entry frame, measured on 6.18 (docs/verifier.md): a callback that
    /// tail-calls itself fails the precision walk at the call (a "verifier bug" verdict, but a refusal all the same),
    /// a subprogram that tail-calls under a callback is refused, and so is one with 256 bytes or more of frames below it.
    /// The last two are found after the walk, where the kernel's log names no instruction.
    /// </summary>
    private bool CheckTailCallPlace(int tailCall, int depthBelow, int callSite, bool inCallback, bool isCallback)
    {
        if (isCallback)
        {
            return Reject(tailCall, "verifier bug: callback unexpected regs 1");
        }

        if (inCallback)
        {
            return Reject(callSite, "cannot tail call within callback");
        }

        if (depthBelow >= MaxStackBelowTailCall)
        {
            return Reject(callSite, $"tail_calls are not allowed when call stack of previous frames is {depthBelow} bytes. Too large");
        }

        return true;
    }

    /// <summary>The first bpf_tail_call of <paramref name="function"/>, if it has one.</summary>
    private int? TailCallIn(int function)
    {
        int start = _functionStarts[function];
        int end = function + 1 < _functionStarts.Length ? _functionStarts[function + 1] : _code.Length;
        for (var pc = start; pc < end; pc++)
        {
            var insn = _code[pc];
            if (insn.Opcode == Opcodes.Call && insn.Src == 0 && insn.Immediate == (int)HelperId.TailCall)
            {
                return pc;
            }
        }

        return null;
    }
}
