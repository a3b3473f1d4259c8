using System.Text;
using SharpBpf.Kernel.Internal;

namespace SharpBpf.Kernel;

/// <summary>
/// libbpf or the kernel refused the object: libbpf could not parse it, a map could not be created, or the
/// kernel verifier rejected a program. <see cref="Exception.Message"/> is a one-line summary followed by the
/// kernel's verifier log (or libbpf's log when there is no verifier log); <see cref="Log"/> keeps everything
/// libbpf printed while opening and loading.
/// </summary>
internal sealed class KernelLoadException : BpfException
{
    private const string LogBegin = "-- BEGIN PROG LOAD LOG --\n";
    private const string LogEnd = "-- END PROG LOAD LOG --";

    internal KernelLoadException(string summary, string? fileName, string? programName, int errno, string log)
        : base(Compose(summary, fileName, programName, errno, log))
    {
        FileName = fileName;
        ProgramName = programName;
        Errno = errno;
        Log = log;
        VerifierLog = ExtractVerifierLog(log);
    }

    public string? FileName { get; }

    /// <summary>The program libbpf was loading when the kernel said no, when libbpf names one.</summary>
    public string? ProgramName { get; }

    /// <summary>The positive errno of the failing operation (EACCES 13 / EINVAL 22 for verifier rejections).</summary>
    public int Errno { get; }

    /// <summary>Every warning and info line libbpf printed (libbpf prefixes its own lines with "libbpf: ").</summary>
    public string Log { get; }

    /// <summary>The kernel verifier's log of the rejected program, or null when the failure was elsewhere.</summary>
    public string? VerifierLog { get; }

    /// <summary>The program libbpf names in "prog 'NAME': BPF program load failed".</summary>
    internal static string? FindFailedProgram(string log)
    {
        const string marker = "prog '";
        int failed = log.IndexOf("': BPF program load failed", StringComparison.Ordinal);
        if (failed < 0) failed = log.IndexOf("': failed to load", StringComparison.Ordinal);
        if (failed < 0) return null;
        int start = log.LastIndexOf(marker, failed, StringComparison.Ordinal);
        return start < 0 ? null : log[(start + marker.Length)..failed];
    }

    private static string? ExtractVerifierLog(string log)
    {
        int begin = log.IndexOf(LogBegin, StringComparison.Ordinal);
        if (begin < 0) return null;
        begin += LogBegin.Length;
        int end = log.IndexOf(LogEnd, begin, StringComparison.Ordinal);
        return end < 0 ? log[begin..] : log[begin..end];
    }

    private static string Compose(string summary, string? fileName, string? programName, int errno, string log)
    {
        var text = new StringBuilder();
        if (fileName is not null) text.Append(fileName).Append(": ");
        if (programName is not null) text.Append("program '").Append(programName).Append("': ");
        text.Append(summary);
        if (errno != 0) text.Append(": ").Append(Internal.ErrnoText.Describe(errno));

        string? verifierLog = ExtractVerifierLog(log);
        if (verifierLog is not null)
        {
            string? reason = VerifierReason(verifierLog);
            if (reason is not null) text.Append(": ").Append(reason);
            text.Append('\n').Append(verifierLog.TrimEnd());
        }
        else if (log.Length > 0)
        {
            text.Append('\n').Append(log.TrimEnd());
        }
        return text.ToString();
    }

    /// <summary>The verifier's last line before its "processed N insns" statistics: the reason for rejection.</summary>
    private static string? VerifierReason(string verifierLog)
    {
        string[] lines = verifierLog.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        for (int i = lines.Length - 1; i >= 0; i--)
        {
            if (lines[i].StartsWith("processed ", StringComparison.Ordinal)) continue;
            if (lines[i].StartsWith("verification time", StringComparison.Ordinal)) continue;
            if (lines[i].StartsWith("stack depth", StringComparison.Ordinal)) continue;
            return KernelVerifierLog.WithoutGluedStatistics(lines[i]);
        }
        return null;
    }
}
