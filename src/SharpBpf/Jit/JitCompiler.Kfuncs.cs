using SharpBpf.Execution;
using SharpBpf.Helpers.Kfuncs;
using SharpBpf.Isa;

namespace SharpBpf.Jit;

/// <summary>
/// Kfunc calls: the kfuncs SharpBpf implements (KfuncTable) are called as helpers are, through a call-site delegate;
/// an id without one faults as the interpreter does (the verifier refuses such a call before any run).
/// </summary>
internal sealed partial class JitCompiler
{
    private void EmitKfuncCall(int pc, Instruction insn)
    {
        if (KfuncTable.FunctionOf(insn.Immediate) is not { } kfunc)
        {
            EmitThrowFault(FaultKind.UnknownKfunc, pc, (uint)insn.Immediate);
            return;
        }

        var site = _callSiteHelpers.Count;
        _callSiteHelpers.Add(kfunc);
        LoadCallSiteHelper(site);
        EmitInvokeHelper(pc);
    }
}
