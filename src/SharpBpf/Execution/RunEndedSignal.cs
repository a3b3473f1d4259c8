namespace SharpBpf.Execution;

/// <summary>
/// Unwinds a run that a helper ended (<see cref="Helpers.HelperCallContext.EndRun"/>) through every engine frame and
/// callback to <see cref="PreparedProgram"/>'s run methods, which return its value as r0. Never escapes them.
/// </summary>
internal sealed class RunEndedSignal(ulong returnValue) : Exception("the run was ended by a helper")
{
    public ulong ReturnValue { get; } = returnValue;
}
