using System.Diagnostics;

namespace Cosched.Workloads.Tests;

/// <summary>`cosched bench` as a user runs it: the CLI launches real rank processes of itself.</summary>
public class BenchProcessTests
{
    private static (int Code, string Output, string Error) Cosched(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Cosched.Cli.dll"));
        foreach (var arg in args) info.ArgumentList.Add(arg);
        // A test host may itself run under the launcher; the CLI must start its own job.
        foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("COSCHED_", StringComparison.Ordinal)).ToList())
            info.Environment.Remove(name);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"cosched {string.Join(' ', args)} did not finish in 60 s");
        }
        return (process.ExitCode, output.Result, error.Result);
    }

    [Fact]
    public void ImbTableFromRealRanks()
    {
        var (code, output, error) = Cosched("bench", "allgather", "-n", "3", "--msglog", "0:3", "--time", "0.01");
        Assert.True(code == 0, error);
        Assert.Contains("# Benchmarking Allgather \n# #processes = 3 \n", output);
        var header = "       #bytes #repetitions  t_min[usec]  t_max[usec]  t_avg[usec]\n";
        var rows = output[(output.IndexOf(header, StringComparison.Ordinal) + header.Length)..].Split('\n').TakeWhile(l => l.Length > 0);
        Assert.Equal(["0", "1", "2", "4", "8"], rows.Select(r => r.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0]));
    }

    [Fact]
    public void CsvOverTcpNamesThePolicy()
    {
        var (code, output, error) = Cosched("bench", "pingpong", "-n", "2", "--msglog", "2:3", "--time", "0.01", "--format", "csv", "--channels", "network");
        Assert.True(code == 0, error);
        var lines = output.TrimEnd('\n').Split('\n');
        Assert.Equal(4, lines.Length);
        Assert.All(lines.Skip(1), l => Assert.StartsWith("pingpong,2,network,", l));
    }

    [Fact]
    public void BadUsageIsOneLineAndExitCodeTwo()
    {
        var (code, output, error) = Cosched("bench", "reduce", "-n", "2", "--msglog", "9:2");
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Equal("cosched: --msglog needs 0 <= MIN <= MAX <= 30 (got 9:2)\n", error);
    }
}
