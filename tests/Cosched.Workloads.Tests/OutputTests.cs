using System.Globalization;
using System.Text.Json;
using Cosched.Messaging;
using Cosched.Workloads.MicroBenchmarks;
using Cosched.Workloads.MicroBenchmarks.Kernels;

namespace Cosched.Workloads.Tests;

/// <summary>What rank 0 prints: imb tables, json and csv that parse back, and one line when a
/// benchmark delivered wrong data.</summary>
public class OutputTests
{
    private static (int[] Codes, string Output, string Error) RunJob(int ranks, MicroBenchmarkOptions options, Func<MicroBenchmark, Communicator, Kernel>? kernel = null)
    {
        var codes = new int[ranks];
        var output = new StringWriter();
        var error = new StringWriter();
        InProcessJob.Run(ranks, comm =>
        {
            // Only rank 0 prints; the others get writers that must stay empty.
            var (o, e) = comm.Rank == 0 ? (output, error) : (new StringWriter(), new StringWriter());
            codes[comm.Rank] = MicroBenchmarkRunner.Run(comm, options, o, e, kernel);
            if (comm.Rank != 0) Assert.Equal("", o.ToString() + e);
        }, timeout: TimeSpan.FromSeconds(60));
        return (codes, output.ToString(), error.ToString());
    }

    [Fact]
    public void ImbOutputHasOneBlockWithARowPerSize()
    {
        var (codes, output, error) = RunJob(2, new MicroBenchmarkOptions([MicroBenchmark.Allreduce]) { MaxLog = 3, Seconds = BenchmarkRunTests.TinySeconds });
        Assert.Equal([0, 0], codes);
        Assert.Equal("", error);
        var lines = output.Split('\n');
        int header = Array.IndexOf(lines, "       #bytes #repetitions  t_min[usec]  t_max[usec]  t_avg[usec]");
        Assert.True(header > 0, output);
        Assert.Equal("# Benchmarking Allreduce ", lines[header - 3]);
        Assert.Equal("# #processes = 2 ", lines[header - 2]);
        var rows = lines.Skip(header + 1).TakeWhile(l => l.Length > 0).ToArray();
        Assert.Equal(["0", "4", "8"], rows.Select(r => r.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[0]));
        Assert.All(rows, r => Assert.Equal(5 * ImbFormat.ColumnWidth, r.Length));
        Assert.EndsWith(ImbFormat.Ending, output);
    }

    [Fact]
    public void JsonParsesBackWithRowsAndRanks()
    {
        var options = new MicroBenchmarkOptions([MicroBenchmark.PingPong])
        {
            MaxLog = 2, Seconds = BenchmarkRunTests.TinySeconds, Format = OutputFormat.Json,
            Algorithms = new SortedDictionary<string, string> { ["allreduce"] = "ring" },
        };
        var (codes, output, _) = RunJob(3, options);
        Assert.Equal([0, 0, 0], codes);
        // One benchmark, one line of JSON Lines: still a single JSON document.
        Assert.Single(output.TrimEnd('\n').Split('\n'));
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal("pingpong", root.GetProperty("benchmark").GetString());
        Assert.Equal("PingPong", root.GetProperty("imb_name").GetString());
        Assert.Equal(2, root.GetProperty("processes").GetInt32());
        Assert.Equal(3, root.GetProperty("job_size").GetInt32());
        Assert.Equal("locality", root.GetProperty("channels").GetString());
        Assert.Equal("ring", root.GetProperty("algorithms").GetProperty("allreduce").GetString());
        var ranks = root.GetProperty("ranks").EnumerateArray().ToArray();
        Assert.Equal(3, ranks.Length);
        Assert.Equal(["shm", "self", "shm"], ranks[1].GetProperty("channels").EnumerateArray().Select(c => c.GetString()));
        var results = root.GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal([0, 1, 2, 4], results.Select(r => r.GetProperty("bytes").GetInt32()));
        foreach (var row in results)
        {
            Assert.Equal("pingpong", row.GetProperty("benchmark").GetString());
            Assert.Equal(2, row.GetProperty("processes").GetInt32());
            Assert.Equal("locality", row.GetProperty("channels").GetString());
            double t = row.GetProperty("t_usec").GetDouble();
            Assert.Equal(row.GetProperty("t_max_usec").GetDouble(), t);
            Assert.Equal(row.GetProperty("bytes").GetInt32() / t, row.GetProperty("mbytes_per_sec").GetDouble(), 9);
            var perRank = row.GetProperty("rank_usec").EnumerateArray().ToArray();
            Assert.Equal(JsonValueKind.Null, perRank[2].ValueKind);
        }
    }

    [Fact]
    public void CsvParsesBackWithTheSameFieldsAsJson()
    {
        var options = new MicroBenchmarkOptions([MicroBenchmark.Alltoall]) { MinLog = 1, MaxLog = 2, Seconds = BenchmarkRunTests.TinySeconds, Format = OutputFormat.Csv };
        var (codes, output, _) = RunJob(2, options);
        Assert.Equal([0, 0], codes);
        var lines = output.TrimEnd('\n').Split('\n');
        Assert.Equal(ReportWriters.CsvColumns, lines[0].Split(','));
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToArray();
        Assert.Equal(["0", "2", "4"], rows.Select(r => r[3]));
        foreach (var row in rows)
        {
            Assert.Equal(ReportWriters.CsvColumns.Length, row.Length);
            Assert.Equal(["alltoall", "2", "locality"], row[..3]);
            Assert.Equal(["", ""], row[5..7]);
            var (min, max, avg) = (Parse(row[7]), Parse(row[8]), Parse(row[9]));
            Assert.True(min <= avg && avg <= max);
        }
    }

    [Fact]
    public void StatisticsCsvAndJsonParseBack()
    {
        var options = new MicroBenchmarkOptions([MicroBenchmark.PingPong]) { Stats = true, StatsRounds = 500, StatsBytes = 64, Format = OutputFormat.Csv };
        var (_, csv, _) = RunJob(2, options);
        var lines = csv.TrimEnd('\n').Split('\n');
        Assert.Equal(ReportWriters.StatsCsvColumns, lines[0].Split(','));
        var row = lines[1].Split(',');
        Assert.Equal(["pingpong", "2", "locality", "64", "500"], row[..5]);
        Assert.True(Parse(row[6]) <= Parse(row[8]) && Parse(row[8]) <= Parse(row[10]));

        var (_, json, _) = RunJob(2, options with { Format = OutputFormat.Json });
        using var document = JsonDocument.Parse(json);
        var statistics = document.RootElement.GetProperty("statistics");
        Assert.Equal(500, statistics.GetProperty("rounds").GetInt32());
        Assert.True(statistics.GetProperty("median_usec").GetDouble() > 0);
        Assert.Equal("stats", document.RootElement.GetProperty("mode").GetString());
    }

    [Fact]
    public void WrongDataFailsEveryRankWithOneLineFromRankZero()
    {
        var options = new MicroBenchmarkOptions([MicroBenchmark.Bcast]) { MaxLog = 1, Seconds = BenchmarkRunTests.TinySeconds };
        var (codes, output, error) = RunJob(3, options, (_, comm) => new CorruptingKernel(comm, badRank: 2));
        Assert.Equal([1, 1, 1], codes);
        Assert.Equal("cosched: bench bcast: wrong result at 0 bytes on rank 2: planted error\n", error.Replace(Environment.NewLine, "\n"));
        Assert.DoesNotContain("All processes entering MPI_Finalize", output);
    }

    [Fact]
    public void WrongDataInALaterBenchmarkLeavesTheEarlierOnesPrinted()
    {
        var options = new MicroBenchmarkOptions([MicroBenchmark.Barrier, MicroBenchmark.Bcast])
        {
            MaxLog = 1, Seconds = BenchmarkRunTests.TinySeconds, Format = OutputFormat.Json,
        };
        var (codes, output, error) = RunJob(2, options,
            (benchmark, comm) => benchmark == MicroBenchmark.Barrier ? Kernel.Create(benchmark, comm) : new CorruptingKernel(comm, badRank: 1));
        Assert.Equal([1, 1], codes);
        Assert.Equal("cosched: bench bcast: wrong result at 0 bytes on rank 1: planted error\n", error.Replace(Environment.NewLine, "\n"));
        using var barrier = JsonDocument.Parse(Assert.Single(output.TrimEnd('\n').Split('\n')));
        Assert.Equal("barrier", barrier.RootElement.GetProperty("benchmark").GetString());
    }

    [Fact]
    public void MeasureRefusesABenchmarkTheOptionsWereNotCheckedFor()
    {
        InProcessJob.Run(1, comm =>
        {
            var options = new MicroBenchmarkOptions([MicroBenchmark.Barrier]) { Seconds = BenchmarkRunTests.TinySeconds };
            var e = Assert.Throws<ArgumentException>(() => MicroBenchmarkRunner.Measure(comm, MicroBenchmark.Alltoall, options));
            Assert.Equal("benchmark", e.ParamName);
        });
    }

    [Fact]
    public void MeasureThrowsTheSameVerdictOnEveryRank()
    {
        var messages = new string[2];
        InProcessJob.Run(2, comm =>
        {
            var options = new MicroBenchmarkOptions([MicroBenchmark.Gather]) { MinLog = 2, MaxLog = 2, Seconds = BenchmarkRunTests.TinySeconds };
            var e = Assert.Throws<VerificationFailedException>(() => MicroBenchmarkRunner.Measure(comm, MicroBenchmark.Gather, options, null, (_, c) => new CorruptingKernel(c, badRank: 1, badBytes: 4)));
            messages[comm.Rank] = e.Message;
        });
        Assert.Equal("bench gather: wrong result at 4 bytes on rank 1: planted error", messages[0]);
        Assert.Equal(messages[0], messages[1]);
    }

    private static double Parse(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    /// <summary>A kernel whose check fails on one rank at one size.</summary>
    private sealed class CorruptingKernel(Communicator comm, int badRank, int badBytes = 0) : Kernel(comm)
    {
        protected override void Allocate(int bytes) { }

        public override double Time(int repetitions)
        {
            Comm.Barrier();
            return 1e-6;
        }

        public override string? Verify() => Comm.Rank == badRank && Bytes == badBytes ? "planted error" : null;
    }
}
