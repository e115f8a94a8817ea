using System.Text.Json;
using Cosched.Workloads.MicroBenchmarks;

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
    public void TimeSeriesHasARowPerWindowWithItsChannel()
    {
        var (code, output, error) = Cosched("bench", "pingpong", "-n", "2", "--timeseries", "--time", "0.2", "--format", "json");
        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(output);
        var rows = json.RootElement.GetProperty("timeseries").EnumerateArray().ToArray();
        // 0.2 s in 20 ms windows: about ten rows, each with round trips, a latency and the channel.
        Assert.InRange(rows.Length, 5, 12);
        Assert.All(rows, r =>
        {
            Assert.True(r.GetProperty("roundtrips").GetInt32() > 0);
            Assert.True(r.GetProperty("latency_us").GetDouble() > 0);
            Assert.Equal("shm", r.GetProperty("channel").GetString());
        });
        Assert.Empty(json.RootElement.GetProperty("migrations").EnumerateArray());
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
    public void SeveralBenchmarksPrintAJsonLineEachInOrderFromOneJob()
    {
        var (code, output, error) = Cosched("bench", "barrier", "alltoall", "-n", "2", "--msglog", "0:2", "--time", "0.01", "--format", "json");
        Assert.True(code == 0, error);
        var lines = output.TrimEnd('\n').Split('\n');
        Assert.Equal(2, lines.Length);
        var documents = lines.Select(line => JsonDocument.Parse(line)).ToArray();
        var (barrier, alltoall) = (documents[0].RootElement, documents[1].RootElement);
        Assert.Equal(("barrier", "Barrier"), (barrier.GetProperty("benchmark").GetString(), barrier.GetProperty("imb_name").GetString()));
        Assert.Equal(("alltoall", "Alltoall"), (alltoall.GetProperty("benchmark").GetString(), alltoall.GetProperty("imb_name").GetString()));
        Assert.Equal([0], Bytes(barrier));
        Assert.Equal([0, 1, 2, 4], Bytes(alltoall));
        Assert.All(documents, d => Assert.Equal(2, d.RootElement.GetProperty("processes").GetInt32()));
        // One launch: both benchmarks ran in the same rank processes.
        Assert.Equal(Pids(barrier), Pids(alltoall));
        foreach (var document in documents) document.Dispose();
    }

    [Fact]
    public void SeveralBenchmarksInImbFormatAreBlocksUnderOnePreamble()
    {
        var (code, output, error) = Cosched("bench", "barrier", "alltoall", "-n", "2", "--msglog", "0:2", "--time", "0.01");
        Assert.True(code == 0, error);
        Assert.Single(Occurrences(output, "# List of Benchmarks to run:\n\n# Barrier\n# Alltoall\n"));
        Assert.Single(Occurrences(output, "# All processes entering MPI_Finalize"));
        Assert.EndsWith("# All processes entering MPI_Finalize\n\n", output);
        int barrier = Assert.Single(Occurrences(output, "# Benchmarking Barrier \n# #processes = 2 \n"));
        int alltoall = Assert.Single(Occurrences(output, "# Benchmarking Alltoall \n# #processes = 2 \n"));
        Assert.True(barrier < alltoall, output);
        var lines = output.Split('\n');
        var barrierRows = RowsAfter(lines, " #repetitions  t_min[usec]  t_max[usec]  t_avg[usec]");
        // One row; its repetitions are IMB's 1000 at most, fewer when --time runs out first (a loaded host).
        int repetitions = int.Parse(Assert.Single(barrierRows).Split(' ', StringSplitOptions.RemoveEmptyEntries)[0]);
        Assert.InRange(repetitions, 1, 1000);
        var alltoallRows = RowsAfter(lines, "       #bytes #repetitions  t_min[usec]  t_max[usec]  t_avg[usec]");
        Assert.Equal(["0", "1", "2", "4"], alltoallRows.Select(r => r.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0]));
    }

    [Fact]
    public void SeveralBenchmarksInCsvShareOneHeader()
    {
        var (code, output, error) = Cosched("bench", "barrier,alltoall", "-n", "2", "--msglog", "0:2", "--time", "0.01", "--format", "csv");
        Assert.True(code == 0, error);
        var lines = output.TrimEnd('\n').Split('\n');
        Assert.Equal(string.Join(',', ReportWriters.CsvColumns), lines[0]);
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToArray();
        Assert.Equal(["barrier 0", "alltoall 0", "alltoall 1", "alltoall 2", "alltoall 4"], rows.Select(r => $"{r[0]} {r[3]}"));
    }

    [Fact]
    public void ABenchmarkNamedTwiceRunsOnce()
    {
        var (code, output, error) = Cosched("bench", "barrier,barrier", "-n", "2", "--time", "0.01", "--format", "json");
        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(Assert.Single(output.TrimEnd('\n').Split('\n')));
        Assert.Equal("barrier", json.RootElement.GetProperty("benchmark").GetString());
    }

    [Fact]
    public void AnUnknownBenchmarkAmongSeveralIsOneLineAndExitCodeTwo()
    {
        var (code, output, error) = Cosched("bench", "barrier", "nosuch", "-n", "2");
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.StartsWith("cosched: unknown benchmark 'nosuch' (expected one of: ", Assert.Single(error.TrimEnd('\n').Split('\n')));
    }

    [Theory]
    [InlineData("cosched: --stats measures pingpong alone (got pingpong barrier)", "pingpong", "barrier", "--stats")]
    [InlineData("cosched: --msglog needs 0 <= MIN <= MAX <= 30 (got 9:2)", "reduce", "--msglog", "9:2")]
    public void BadUsageIsOneLineAndExitCodeTwo(string expected, params string[] arguments)
    {
        var (code, output, error) = Cosched(["bench", .. arguments, "-n", "2"]);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Equal(expected + "\n", error);
    }

    private static int[] Bytes(JsonElement report) =>
        [.. report.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("bytes").GetInt32())];

    private static int[] Pids(JsonElement report) =>
        [.. report.GetProperty("ranks").EnumerateArray().Select(r => r.GetProperty("pid").GetInt32())];

    private static List<int> Occurrences(string text, string part)
    {
        var at = new List<int>();
        for (int i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + 1, StringComparison.Ordinal)) at.Add(i);
        return at;
    }

    /// <summary>The rows of the one block whose column header is <paramref name="header"/>.</summary>
    private static string[] RowsAfter(string[] lines, string header) =>
        [.. lines.Skip(Array.IndexOf(lines, Assert.Single(lines, l => l == header)) + 1).TakeWhile(l => l.Length > 0)];
}
