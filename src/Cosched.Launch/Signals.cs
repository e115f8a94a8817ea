using System.Runtime.InteropServices;

namespace Cosched.Launch;

/// <summary>Signal numbers and names, and kill(2), which .NET's Process lacks for anything but SIGKILL.</summary>
public static partial class Signals
{
    public const int SIGHUP = 1, SIGINT = 2, SIGKILL = 9, SIGTERM = 15;

    /// <summary>The signals that end a job and its VMs cleanly: Ctrl-C, kill, and the terminal closing.</summary>
    public static readonly PosixSignal[] Ending =
        [PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP];

    /// <summary>The signal's number, for exit codes (128 + n) and messages.</summary>
    public static int Number(PosixSignal signal) => signal switch
    {
        PosixSignal.SIGHUP => SIGHUP,
        PosixSignal.SIGINT => SIGINT,
        PosixSignal.SIGTERM => SIGTERM,
        _ => throw new ArgumentOutOfRangeException(nameof(signal), signal, "not a signal that ends a job"),
    };

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    internal static partial int Kill(int pid, int signal);

    private static readonly string[] Names =
    [
        "", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1",
        "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP",
        "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS",
    ];

    public static string Name(int signal) => signal > 0 && signal < Names.Length ? Names[signal] : $"signal {signal}";

    /// <summary>How a rank ended, in words: .NET reports death by signal S as exit code 128+S.</summary>
    public static string DescribeExit(int code) =>
        code > 128 && code < 128 + Names.Length ? $"was killed by signal {code - 128} ({Name(code - 128)})" : $"exited with code {code}";
}
