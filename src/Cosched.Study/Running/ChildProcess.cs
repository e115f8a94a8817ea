using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Cosched.Study.Running;

/// <summary>Runs one measuring command (cosched itself, or mpirun) to completion or until its time
/// is up, and keeps what it printed.</summary>
public static partial class ChildProcess
{
    private const int SIGTERM = 15;

    /// <summary>kill(2): .NET's Process sends nothing but SIGKILL.</summary>
    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);

    /// <param name="Interrupted">the study was interrupted while it ran, and it was ended.</param>
    public sealed record Result(int ExitCode, string Output, string Error, bool TimedOut, TimeSpan Elapsed, bool Interrupted = false);

    /// <param name="cancel">set when the study is interrupted: the command is ended (SIGTERM, so a
    /// launcher removes its VMs) and the result says so.</param>
    public static Result Run(IReadOnlyList<string> command, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null, CancellationToken cancel = default)
    {
        var info = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in command.Skip(1)) info.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) info.Environment[name] = value;
        var watch = Stopwatch.StartNew();
        var output = new System.Text.StringBuilder();
        var error = new System.Text.StringBuilder();
        using var process = new Process { StartInfo = info };
        // Line events rather than ReadToEnd: after a time-out, a grandchild that still holds the pipes
        // must not keep the study waiting for their end.
        process.OutputDataReceived += (_, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (error) error.AppendLine(e.Data); };
        if (!process.Start()) throw new InvalidOperationException($"could not start {command[0]}");
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        bool exited = false;
        while (!exited && watch.Elapsed < timeout && !cancel.IsCancellationRequested)
            exited = process.WaitForExit(TimeSpan.FromMilliseconds(Math.Clamp((timeout - watch.Elapsed).TotalMilliseconds, 0, 100)));
        bool timedOut = !exited && !cancel.IsCancellationRequested;
        if (!exited)
        {
            Terminate(process, TimeSpan.FromSeconds(10));
            // What it wrote on its way out, as long as no grandchild holds the pipes open past a grace period.
            Task.Run(() => process.WaitForExit()).Wait(TimeSpan.FromSeconds(2));
        }
        else process.WaitForExit();   // the rest of the output
        string Text(System.Text.StringBuilder text) { lock (text) return text.ToString(); }
        return new Result(exited ? process.ExitCode : -1, Text(output), Text(error), timedOut, watch.Elapsed, Interrupted: cancel.IsCancellationRequested);
    }

    /// <summary>Ends <paramref name="process"/>: SIGTERM first, so a cosched launcher tears its VMs
    /// down; the whole process tree is killed if it is still there after <paramref name="grace"/>.</summary>
    public static void Terminate(Process process, TimeSpan grace)
    {
        SendSignal(process.Id, SIGTERM);
        if (!process.WaitForExit(grace)) process.Kill(entireProcessTree: true);
    }
}
