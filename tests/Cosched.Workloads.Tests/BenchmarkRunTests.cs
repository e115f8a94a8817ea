using Cosched.Messaging;
using Cosched.Workloads.MicroBenchmarks;

namespace Cosched.Workloads.Tests;

/// <summary>Every benchmark on 1 to 4 in-process ranks, with a tiny --time: it must run every size
/// and pass its own correctness check.</summary>
public class BenchmarkRunTests
{
    /// <summary>Short enough that the whole matrix stays within seconds.</summary>
    internal const double TinySeconds = 0.002;

    public static TheoryData<MicroBenchmark, int> EveryBenchmarkOnOneToFourRanks()
    {
        var data = new TheoryData<MicroBenchmark, int>();
        foreach (var benchmark in Enum.GetValues<MicroBenchmark>())
            for (int ranks = 1; ranks <= 4; ranks++)
                data.Add(benchmark, ranks);
        return data;
    }

    public static TheoryData<MicroBenchmark> EveryBenchmark() => new(Enum.GetValues<MicroBenchmark>());

    [Theory]
    [MemberData(nameof(EveryBenchmarkOnOneToFourRanks))]
    public void SmallSizesRunAndVerify(MicroBenchmark benchmark, int ranks) =>
        RunAndCheck(new MicroBenchmarkOptions([benchmark]) { MinLog = 0, MaxLog = 2, Seconds = TinySeconds }, ranks, ChannelPolicy.Locality);

    [Theory]
    [MemberData(nameof(EveryBenchmark))]
    public void RendezvousSizesRunAndVerify(MicroBenchmark benchmark) =>
        RunAndCheck(new MicroBenchmarkOptions([benchmark]) { MinLog = 15, MaxLog = 15, Seconds = TinySeconds }, 3, ChannelPolicy.Locality);

    [Theory]
    [MemberData(nameof(EveryBenchmark))]
    public void TcpChannelsRunAndVerify(MicroBenchmark benchmark) =>
        RunAndCheck(new MicroBenchmarkOptions([benchmark]) { MinLog = 3, MaxLog = 3, Seconds = TinySeconds, Channels = "network" }, 3, ChannelPolicy.Network);

    private static void RunAndCheck(MicroBenchmarkOptions options, int ranks, ChannelPolicy policy)
    {
        var benchmark = Assert.Single(options.Benchmarks);
        var report = Jobs.Measure(ranks, benchmark, options, policy);
        Assert.Equal(benchmark, report.Benchmark);
        var sizes = MessageSizes.For(benchmark, options.MinLog, options.MaxLog);
        Assert.Equal(sizes, report.Results.Select(r => r.Bytes));
        int processes = MicroBenchmarkRunner.ProcessesFor(benchmark, ranks);
        Assert.Equal(processes, report.Processes);
        Assert.Equal(ranks, report.JobSize);
        int previous = Repetitions.MessagesPerSample;
        foreach (var row in report.Results)
        {
            Assert.InRange(row.Repetitions, 1, Math.Min(previous, Repetitions.Default(row.Bytes)));
            previous = row.Repetitions;
            Assert.Equal(ranks, row.RankMicroseconds.Count);
            for (int r = 0; r < ranks; r++)
            {
                if (r < processes) Assert.True(row.RankMicroseconds[r] >= 0, $"rank {r} time {row.RankMicroseconds[r]}");
                else Assert.True(double.IsNaN(row.RankMicroseconds[r]), $"idle rank {r} has a time");
            }
            Assert.True(row.MinMicroseconds <= row.AvgMicroseconds && row.AvgMicroseconds <= row.MaxMicroseconds);
        }
        string peer = policy == ChannelPolicy.Network ? "tcp" : "shm";
        Assert.Equal(ranks, report.Ranks.Count);
        foreach (var rank in report.Ranks)
            for (int r = 0; r < ranks; r++)
                Assert.Equal(r == rank.Rank ? "self" : peer, rank.Channels[r]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void LatencyStatisticsCoverEveryRound(int ranks)
    {
        var options = new MicroBenchmarkOptions([MicroBenchmark.PingPong]) { Stats = true, StatsBytes = 8, StatsRounds = 2000 };
        LatencyReport? report = null;
        InProcessJob.Run(ranks, comm =>
        {
            var mine = MicroBenchmarkRunner.MeasureLatency(comm, options);
            if (comm.Rank == 0) report = mine;
        });
        var s = report!.Statistics;
        Assert.Equal(2000, s.Rounds);
        Assert.Equal(Math.Min(2, ranks), report.Processes);
        Assert.True(0 < s.Minimum && s.Minimum <= s.LowerQuartile && s.LowerQuartile <= s.Median
                    && s.Median <= s.UpperQuartile && s.UpperQuartile <= s.Maximum);
        Assert.InRange(s.Mean, s.Minimum, s.Maximum);
    }
}

/// <summary>Runs a size sweep as an in-process job and hands back rank 0's report.</summary>
internal static class Jobs
{
    public static MicroBenchmarkReport Measure(int ranks, MicroBenchmark benchmark, MicroBenchmarkOptions options, ChannelPolicy policy = ChannelPolicy.Locality)
    {
        MicroBenchmarkReport? report = null;
        InProcessJob.Run(ranks, comm =>
        {
            var mine = MicroBenchmarkRunner.Measure(comm, benchmark, options);
            if (comm.Rank == 0) report = mine;
            else Assert.Null(mine);
        }, policy, TimeSpan.FromSeconds(60));
        return report ?? throw new InvalidOperationException("rank 0 returned no report");
    }
}
