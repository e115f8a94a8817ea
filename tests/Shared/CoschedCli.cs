using System.Diagnostics;

namespace Cosched.Tests.Shared;

/// <summary>Runs `./cosched` as a user would and captures what it did (shared by the test projects
/// that drive the command line).</summary>
internal static class CoschedCli
{
    public sealed record Result(int ExitCode, string Output, string Error, TimeSpan Elapsed);

    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>The test rank program, as a command line for `cosched run`.</summary>
    public static string[] TestRank(params string[] arguments) =>
        ["dotnet", Path.Combine(AppContext.BaseDirectory, "Cosched.TestRank.dll"), .. arguments];

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "cosched")) && File.Exists(Path.Combine(dir.FullName, "Cosched.sln")))
                return dir.FullName;
        throw new InvalidOperationException("repository root not found");
    }

    public static Process Start(IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(Path.Combine(RepositoryRoot, "cosched"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryRoot,
        };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        return Process.Start(info)!;
    }

    public static Result Run(TimeSpan timeout, params string[] arguments)
    {
        var watch = Stopwatch.StartNew();
        using var process = Start(arguments);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"cosched {string.Join(' ', arguments)} did not finish in {timeout}");
        }
        process.WaitForExit();
        return new Result(process.ExitCode, output.Result, error.Result, watch.Elapsed);
    }
}
