namespace SharpBpf.Interpreter;

/// <summary>Selects the checked or unchecked loop at JIT time: each mode is a struct, so the loop is compiled once per mode and the test folds away.</summary>
internal interface IExecutionMode
{
    static abstract bool IsChecked { get; }
}

internal readonly struct CheckedMode : IExecutionMode
{
    public static bool IsChecked => true;
}

internal readonly struct UncheckedMode : IExecutionMode
{
    public static bool IsChecked => false;
}
