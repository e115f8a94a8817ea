namespace Cosched.Workloads.Tests;

/// <summary>`cosched bench` as a user runs it: the CLI launches real rank processes of itself.</summary>
public class BenchProcessTests
{
    private static CliProcess.Result Cosched(params string[] args) => CliProcess.Cosched(TimeSpan.FromSeconds(60), args);

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
