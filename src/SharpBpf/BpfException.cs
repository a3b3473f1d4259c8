namespace SharpBpf;

/// <summary>
/// The input — an object file, assembly text, a program — is at fault. API misuse is reported with
/// <see cref="ArgumentException"/> or <see cref="InvalidOperationException"/> instead, never with this type.
/// </summary>
public abstract class BpfException : Exception
{
    /// <summary>Creates the exception with its message and the exception that caused it, if any.</summary>
    protected BpfException(string message, Exception? inner = null) : base(message, inner)
    {
    }
}
