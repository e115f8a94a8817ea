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

    public static Process Start(IEnumerable<string> arguments) => StartProgram(Path.Combine(RepositoryRoot, "cosched"), arguments);

    public static Result Run(TimeSpan timeout, params string[] arguments) => RunProgram(timeout, Path.Combine(RepositoryRoot, "cosched"), arguments);

    /// <summary>Any program (srun, mpirun, a script), from the repository root, with extra environment variables.</summary>
    public static Process StartProgram(string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryRoot,
        };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) info.Environment[name] = value;
        return Process.Start(info)!;
    }

    public static Result RunProgram(TimeSpan timeout, string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var watch = Stopwatch.StartNew();
        var list = arguments.ToList();
        using var process = StartProgram(program, list, environment);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(program)} {string.Join(' ', list)} did not finish in {timeout}");
        }
        process.WaitForExit();
        return new Result(process.ExitCode, output.Result, error.Result, watch.Elapsed);
    }
}
