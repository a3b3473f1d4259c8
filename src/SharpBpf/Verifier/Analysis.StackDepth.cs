using SharpBpf.Isa;

namespace SharpBpf.Verifier;

internal sealed partial class Analysis
{
    private const int MaxStack = 512;

    /// <summary>
    /// The kernel's check_max_stack_depth, run once every path is verified: from the main program and from each timer
    /// callback (a root of its own, R25), every chain of calls must fit in 512 bytes, each function's stack rounded
    /// up to 16 bytes as the x86-64 JIT lays it out.
    /// </summary>
    private void CheckStackDepth()
    {
        Walk(0, frame: 0, depth: 0, callSite: 0, []);
        foreach (var root in _asyncCallbacks.Order())
        {
            Walk(root, frame: 0, depth: 0, callSite: _functionStarts[root], []);
        }
    }

    private void Walk(int function, int frame, int depth, int callSite, HashSet<int> onPath)
    {
        depth += (_stackDepth[function] + 15) & ~15;
        if (depth > MaxStack)
        {
            throw new Rejection(callSite, $"combined stack size of {frame + 1} calls is {depth}. Too large");
        }

        if (!onPath.Add(function))
        {
            return;
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
                        throw new Rejection(pc, $"the call stack of {frame + 1} frames is too deep !");
                    }

                    Walk(callee, frame + 1, depth, pc, onPath);
                }
            }

            if (insn.IsLoadImm64)
            {
                pc++;
            }
        }

        onPath.Remove(function);
    }
}
