using Cosched.Workloads.MicroBenchmarks;

namespace Cosched.Workloads.Tests;

/// <summary>IMB's repetition, warm-up and size rules (REFERENCE.md, IMB_mem_manager.c).</summary>
public class RepetitionTests
{
    [Theory]
    [InlineData(0, 1000)]
    [InlineData(1, 1000)]
    [InlineData(32 * 1024, 1000)]
    [InlineData(64 * 1024, 640)]
    [InlineData(128 * 1024, 320)]
    [InlineData(256 * 1024, 160)]
    [InlineData(512 * 1024, 80)]
    [InlineData(1024 * 1024, 40)]
    [InlineData(2048 * 1024, 20)]
    [InlineData(4096 * 1024, 10)]
    [InlineData(1L << 30, 1)]
    public void DefaultRepetitionsAreFortyMibPerSizeAtMostAThousand(long bytes, int expected) =>
        Assert.Equal(expected, Repetitions.Default(bytes));

    [Theory]
    [InlineData(1000, 100)]
    [InlineData(640, 64)]
    [InlineData(99, 10)]
    [InlineData(10, 10)]
    [InlineData(4, 4)]
    [InlineData(1, 1)]
    public void WarmupIsATenthButAtLeastMinOfTenAndN(int repetitions, int expected) =>
        Assert.Equal(expected, Repetitions.Warmup(repetitions));

    [Fact]
    public void TimeCapKeepsASizeNearTheTimeLimit()
    {
        // 1 ms per call and --time 0.1: IMB's (int)(1 + 0.1 / 0.001) = 101.
        Assert.Equal(101, Repetitions.Capped(1000, 1000, 0.001, 0.1));
        // Fast calls: the default count wins.
        Assert.Equal(1000, Repetitions.Capped(1000, 1000, 1e-7, 10));
        // Never more than the previous size used, never fewer than one.
        Assert.Equal(300, Repetitions.Capped(1000, 300, 1e-6, 10));
        Assert.Equal(1, Repetitions.Capped(640, 1000, 20, 10));
        // A time too small to measure leaves the default (IMB's 1e-8 guard).
        Assert.Equal(640, Repetitions.Capped(640, 1000, 0, 10));
    }

    [Fact]
    public void ProbeRunLastsAboutASecondOrTheTimeLimit()
    {
        Assert.Equal(1000, Repetitions.Probe(1000, 1e-7, 10));
        Assert.Equal(200, Repetitions.Probe(1000, 0.005, 10));
        Assert.Equal(1, Repetitions.Probe(1000, 2, 10));
        Assert.Equal(20, Repetitions.Probe(1000, 0.005, 0.1));
        Assert.Equal(40, Repetitions.Probe(40, 1e-6, 10));
    }

    [Fact]
    public void SizesAreZeroThenPowersOfTwo()
    {
        Assert.Equal([0, 1, 2, 4, 8, 16], MessageSizes.For(MicroBenchmark.Bcast, 0, 4));
        Assert.Equal(24, MessageSizes.For(MicroBenchmark.PingPong, 0, 22).Count);
        Assert.Equal([0, 1024, 2048], MessageSizes.For(MicroBenchmark.Alltoall, 10, 11));
    }

    [Fact]
    public void ReductionSizesAreWholeFloats()
    {
        var sizes = MessageSizes.For(MicroBenchmark.Allreduce, 0, 22);
        Assert.Equal([0, 4, 8, 16], sizes.Take(4));
        Assert.Equal(4 * 1024 * 1024, sizes[^1]);
        Assert.Equal(22, sizes.Count);
        Assert.All(sizes, s => Assert.Equal(0, s % 4));
        Assert.Equal([0, 4], MessageSizes.For(MicroBenchmark.Reduce, 0, 2));
        Assert.Equal([0], MessageSizes.For(MicroBenchmark.Reduce, 0, 1));
    }

    [Fact]
    public void BarrierHasOneRow() => Assert.Equal([0], MessageSizes.For(MicroBenchmark.Barrier, 0, 22));

    [Theory]
    [InlineData("0:22", true, 0, 22)]
    [InlineData("3:10", true, 3, 10)]
    [InlineData("16", true, 0, 16)]
    [InlineData("a:b", false, 0, 0)]
    [InlineData("-1:4", false, 0, 0)]
    [InlineData("1:2:3", false, 0, 0)]
    [InlineData("", false, 0, 0)]
    public void MessageLogParses(string text, bool ok, int min, int max)
    {
        Assert.Equal(ok, MicroBenchmarkOptions.TryParseMessageLog(text, out int minLog, out int maxLog));
        if (ok) Assert.Equal((min, max), (minLog, maxLog));
    }

    [Fact]
    public void OptionsAreChecked()
    {
        var good = new MicroBenchmarkOptions([MicroBenchmark.Alltoall]);
        Assert.Null(good.Validate(4));
        Assert.Contains("--msglog", (good with { MinLog = 5, MaxLog = 3 }).Validate(2));
        Assert.Contains("--time", (good with { Seconds = 0 }).Validate(2));
        Assert.Contains("--time", (good with { Seconds = double.NaN }).Validate(2));
        Assert.Contains("--stats", (good with { Stats = true }).Validate(2));
        Assert.Contains("too large", (good with { MaxLog = 30 }).Validate(4));
        Assert.Null((good with { Benchmarks = [MicroBenchmark.PingPong], MaxLog = 30 }).Validate(4));
        Assert.Contains("--rounds", new MicroBenchmarkOptions([MicroBenchmark.PingPong]) { Stats = true, StatsRounds = 0 }.Validate(2));
        Assert.Equal("no benchmark to run", new MicroBenchmarkOptions([]).Validate(2));
        // Every benchmark of a run is checked, not only the first.
        Assert.Contains("too large for alltoall", new MicroBenchmarkOptions([MicroBenchmark.PingPong, MicroBenchmark.Alltoall]) { MaxLog = 30 }.Validate(4));
        Assert.Equal("--stats measures pingpong alone (got pingpong barrier)",
            new MicroBenchmarkOptions([MicroBenchmark.PingPong, MicroBenchmark.Barrier]) { Stats = true }.Validate(2));
    }

    [Fact]
    public void LatencyStatisticsMatchPingpongLat()
    {
        // Odd count with odd halves: quartiles are the middle of each half (stat_eval.c).
        var s = LatencyStatistics.Of([7, 1, 3, 5, 2, 6, 4]);
        Assert.Equal((1.0, 2.0, 4.0, 6.0, 7.0), (s.Minimum, s.LowerQuartile, s.Median, s.UpperQuartile, s.Maximum));
        Assert.Equal(4.0, s.Mean);
        Assert.Equal(Math.Sqrt(28.0 / 6), s.StandardDeviation, 12);
        Assert.Equal((0, 0), (s.LowerOutliers, s.UpperOutliers));

        var single = LatencyStatistics.Of([3.5]);
        Assert.Equal((3.5, 3.5, 3.5, 0.0), (single.Minimum, single.Median, single.Maximum, single.StandardDeviation));
    }

    [Fact]
    public void PatternsDifferBetweenPairs()
    {
        var a = new byte[64];
        var b = new byte[64];
        Pattern.Fill(a, 1, 2);
        Pattern.Fill(b, 2, 1);
        Assert.NotEqual(a, b);
        Assert.Equal(-1, Pattern.FirstMismatch(a, 1, 2));
        a[17] ^= 1;
        Assert.Equal(17, Pattern.FirstMismatch(a, 1, 2));
        Assert.Equal(-1, Pattern.FirstMismatch([], 0, 0));
    }
}
