using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace SharpBpf.Kernel.Internal;

/// <summary>
/// Routes libbpf's log (warnings, info, and the kernel verifier log it prints after a failed program load)
/// into a per-thread capture instead of stderr. libbpf's print hook is process-wide and called synchronously
/// on the thread that made the libbpf call, so a [ThreadStatic] buffer gives each caller exactly its own
/// lines. Lines printed while nobody captures are dropped: the kernel engine never writes to the console.
/// Debug-level lines are not kept (libbpf prints hundreds of them per load).
/// </summary>
internal static unsafe class LibBpfLog
{
    [ThreadStatic] private static StringBuilder? t_capture;
    private static int s_installed;
    private static readonly Lock s_installLock = new();

    /// <summary>Installs the hook once; must run before the first libbpf call that can print.</summary>
    public static void EnsureInstalled()
    {
        if (Volatile.Read(ref s_installed) != 0) return;
        lock (s_installLock)
        {
            if (s_installed != 0) return;
            LibBpf.SetPrint(&OnPrint);
            Volatile.Write(ref s_installed, 1);
        }
    }

    /// <summary>Starts capturing on this thread; dispose the scope to stop and read <see cref="Scope.Text"/>.</summary>
    public static Scope Capture()
    {
        EnsureInstalled();
        var previous = t_capture;
        var buffer = new StringBuilder();
        t_capture = buffer;
        return new Scope(buffer, previous);
    }

    public readonly struct Scope : IDisposable
    {
        private readonly StringBuilder _buffer;
        private readonly StringBuilder? _previous;

        internal Scope(StringBuilder buffer, StringBuilder? previous)
        {
            _buffer = buffer;
            _previous = previous;
        }

        public string Text => _buffer.ToString();

        public void Dispose() => t_capture = _previous;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OnPrint(int level, byte* format, nint arguments)
    {
        try
        {
            var buffer = t_capture;
            if (buffer is not null && level != LibBpf.PrintDebug && format is not null)
                buffer.Append(Format(format, arguments));
        }
        catch
        {
            // An exception must never unwind into libbpf's C frames; losing one log line is the lesser harm.
        }
        return 0;
    }

    /// <summary>Formats a printf-style line with the C library. The length is measured first on a copy of the
    /// va_list (on x86-64 and arm64 Linux a va_list is a plain struct passed by address, so copying its bytes is
    /// what va_copy does), then the original is consumed once into a buffer of the right size.</summary>
    private static string Format(byte* format, nint arguments)
    {
        int vaListSize = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => 24,
            Architecture.Arm64 => 32,
            _ => 0,
        };
        int length;
        if (vaListSize == 0)
        {
            length = 64 * 1024;
        }
        else
        {
            byte* copy = stackalloc byte[vaListSize];
            Buffer.MemoryCopy((void*)arguments, copy, vaListSize, vaListSize);
            length = LibC.VsnPrintf(null, 0, format, (nint)copy);
            if (length <= 0) return string.Empty;
        }

        byte[] text = new byte[length + 1];
        fixed (byte* destination = text)
        {
            int written = LibC.VsnPrintf(destination, (nuint)text.Length, format, arguments);
            if (written <= 0) return string.Empty;
            return Encoding.UTF8.GetString(text, 0, Math.Min(written, text.Length - 1));
        }
    }
}
