using System.Text.RegularExpressions;
using Cosched.Tests.Shared;

namespace Cosched.Launch.Tests;

/// <summary>`./cosched run` is served by the ahead-of-time compiled launcher (src/Cosched.Cli.Run),
/// everything else by the full CLI: a user must not be able to tell them apart by what they print
/// or how they exit.</summary>
[Collection("launcher")]
public class AheadOfTimeRunTests
{
    private static string BuildDirectory => Path.Combine(CoschedCli.RepositoryRoot, ".build", "cli");
    private static string AheadOfTime => Path.Combine(BuildDirectory, "cosched-run");

    private static string RequireAheadOfTimeBuild()
    {
        Assert.Equal(0, Cli.Run("--version").ExitCode); // builds both when a source changed
        Assert.True(File.Exists(AheadOfTime), $"{AheadOfTime} was not built (see {BuildDirectory}/build.log)");
        return AheadOfTime;
    }

    [AheadOfTimeFact]
    public void TheScriptRunsJobsWithTheAheadOfTimeBuild()
    {
        RequireAheadOfTimeBuild();
        // The rank prints its parent's command line: the launcher that started it.
        var result = Cli.Run("run", "-n", "1", "--", "sh", "-c", "tr '\\0' ' ' < /proc/$PPID/cmdline");
        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith(AheadOfTime + " run -n 1", result.Output);
    }

    [AheadOfTimeTheory]
    [InlineData("run", "--help")]
    [InlineData("run", "-n", "2", "--", "sh", "-c", "echo rank $COSCHED_RANK of $COSCHED_SIZE; echo oops >&2")]
    [InlineData("run", "-n", "3", "--tag-output", "--", "sh", "-c", "echo out; echo err >&2")]
    [InlineData("run", "-n", "2", "--", "sh", "-c", "exit $((4 * COSCHED_RANK))")]
    [InlineData("run", "-n", "2", "--vms", "2", "--vm-kind", "process", "--report-bindings", "--", "true")]
    [InlineData("run", "-n", "2", "--timeout", "0.5", "--", "sleep", "30")]
    [InlineData("run", "-n", "0", "--", "true")]
    [InlineData("run", "-n", "2", "--channels", "carrier-pigeon", "--", "true")]
    [InlineData("run", "-n", "2", "--frobnicate", "--", "true")]
    [InlineData("run", "-n", "2", "--", "/no/such/program")]
    [InlineData("run", "-n", "2", "--vms", "2", "--hosts", "2", "--migrate", "1:1:2", "--", "true")]
    public void BothBuildsAnswerAlike(params string[] arguments)
    {
        var aot = CoschedCli.RunProgram(TimeSpan.FromSeconds(60), RequireAheadOfTimeBuild(), arguments);
        var jit = CoschedCli.RunProgram(TimeSpan.FromSeconds(60), "dotnet", [Path.Combine(BuildDirectory, "Cosched.Cli.dll"), .. arguments]);
        Assert.Equal(jit.ExitCode, aot.ExitCode);
        Assert.Equal(Normalized(jit.Output), Normalized(aot.Output));
        Assert.Equal(Normalized(jit.Error), Normalized(aot.Error));
    }

    /// <summary>Job ids differ from run to run, and ranks print in the order they ran.</summary>
    private static string[] Normalized(string text) =>
        Regex.Replace(text, "[0-9a-f]{8}", "JOB").Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).ToArray();
}

/// <summary>A fact about the ahead-of-time `cosched run`, which Native AOT builds only with clang
/// (CI installs it); skipped, saying so, without.</summary>
public sealed class AheadOfTimeFactAttribute : FactAttribute
{
    /// <summary>Why these tests cannot run here, or null.</summary>
    internal static string? Missing =>
        Domains.HostSupport.FindTool("clang") == null ? "needs clang for the Native AOT build of `cosched run` (apt-get install clang)" : null;

    public AheadOfTimeFactAttribute() => Skip = Missing;
}

/// <summary>A theory about the ahead-of-time `cosched run`; skipped, saying so, without clang.</summary>
public sealed class AheadOfTimeTheoryAttribute : TheoryAttribute
{
    public AheadOfTimeTheoryAttribute() => Skip = AheadOfTimeFactAttribute.Missing;
}
