using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace SharpBpf.Execution;

/// <summary>Raises faults out of line so the engines' hot paths hold no <c>throw new</c>.</summary>
internal static class FaultThrow
{
    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    public static void Fault(FaultKind kind, int instructionIndex, ulong address = 0, int size = 0) =>
        throw new ProgramFaultException(kind, instructionIndex, address, size);

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    public static void HelperFault(int instructionIndex, string reason) =>
        throw new ProgramFaultException(FaultKind.HelperFault, instructionIndex, detail: reason);

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    public static void BudgetExhausted(int instructionIndex) =>
        throw new ProgramFaultException(FaultKind.InstructionBudgetExhausted, instructionIndex);
}
