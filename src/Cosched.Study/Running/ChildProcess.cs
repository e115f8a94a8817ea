using System.Diagnostics;

namespace Cosched.Study.Running;

/// <summary>Runs one measuring command (cosched itself, or mpirun) to completion or until its time
/// is up, and keeps what it printed.</summary>
public static class ChildProcess
{
    public sealed record Result(int ExitCode, string Output, string Error, bool TimedOut, TimeSpan Elapsed);

    public static Result Run(IReadOnlyList<string> command, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
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
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {command[0]}");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        bool timedOut = !process.WaitForExit(timeout);
        if (timedOut)
        {
            // SIGTERM first: a cosched launcher then tears its VMs down; the kill follows if it hangs.
            try { Process.Start("kill", ["-TERM", process.Id.ToString()])?.WaitForExit(2000); } catch (Exception) { }
            if (!process.WaitForExit(TimeSpan.FromSeconds(10))) process.Kill(entireProcessTree: true);
        }
        process.WaitForExit();
        return new Result(timedOut ? -1 : process.ExitCode, output.Result, error.Result, timedOut, watch.Elapsed);
    }
}
