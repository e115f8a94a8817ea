using System.Diagnostics;

namespace Cosched.Workloads.Tests;

/// <summary>Runs the cosched CLI (and other tools, such as NCBI's) as separate processes, as a user would.</summary>
internal static class CliProcess
{
    public sealed record Result(int Code, string Output, string Error);

    public static Result Cosched(TimeSpan timeout, params string[] args) =>
        Run("dotnet", [Path.Combine(AppContext.BaseDirectory, "Cosched.Cli.dll"), .. args], timeout);

    public static Result Run(string program, IEnumerable<string> args, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        // A test host may itself run under the launcher; the CLI must start its own job.
        foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("COSCHED_", StringComparison.Ordinal)).ToList())
            info.Environment.Remove(name);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{program} {string.Join(' ', args)} did not finish in {timeout}");
        }
        process.WaitForExit();
        return new Result(process.ExitCode, output.Result, error.Result);
    }
}
