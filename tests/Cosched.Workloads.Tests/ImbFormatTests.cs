using Cosched.Workloads.MicroBenchmarks;

namespace Cosched.Workloads.Tests;

/// <summary>The imb format must match IMB-MPI1's output character for character (IMB_output.c).</summary>
public class ImbFormatTests
{
    [Fact]
    public void PingPongBlockHeaderIsImbs()
    {
        Assert.Equal(
            "\n" +
            "#---------------------------------------------------\n" +
            "# Benchmarking PingPong \n" +
            "# #processes = 2 \n" +
            "#---------------------------------------------------\n" +
            "       #bytes #repetitions      t[usec]   Mbytes/sec\n",
            ImbFormat.BlockHeader(MicroBenchmark.PingPong, 2, 2));
    }

    [Fact]
    public void CollectiveBlockHeaderIsImbs()
    {
        Assert.Equal(
            "\n" +
            "#----------------------------------------------------------------\n" +
            "# Benchmarking Allreduce \n" +
            "# #processes = 4 \n" +
            "#----------------------------------------------------------------\n" +
            "       #bytes #repetitions  t_min[usec]  t_max[usec]  t_avg[usec]\n",
            ImbFormat.BlockHeader(MicroBenchmark.Allreduce, 4, 4));
    }

    [Fact]
    public void BarrierHasNoBytesColumn()
    {
        Assert.Equal(
            "\n" +
            "#---------------------------------------------------\n" +
            "# Benchmarking Barrier \n" +
            "# #processes = 3 \n" +
            "#---------------------------------------------------\n" +
            " #repetitions  t_min[usec]  t_max[usec]  t_avg[usec]\n",
            ImbFormat.BlockHeader(MicroBenchmark.Barrier, 3, 3));
        Assert.Equal("         1000         2.05         2.10         2.07",
            ImbFormat.Row(MicroBenchmark.Barrier, new SizeResult(0, 1000, [2.05, 2.10, 2.07])));
    }

    [Theory]
    [InlineData(3, "# ( 1 additional process waiting in MPI_Barrier)\n")]
    [InlineData(4, "# ( 2 additional processes waiting in MPI_Barrier)\n")]
    public void IdleRanksAreAnnouncedAsImbDoes(int jobSize, string line)
    {
        var header = ImbFormat.BlockHeader(MicroBenchmark.PingPong, 2, jobSize);
        Assert.Contains("# #processes = 2 \n" + line + "#---", header);
    }

    [Fact]
    public void PingPongRowHasHalfRoundTripAndDecimalMegabytes()
    {
        // REFERENCE.md: 1048576 bytes in 81.29 us prints 12899 Mbytes/sec.
        var row = ImbFormat.Row(MicroBenchmark.PingPong, new SizeResult(1048576, 640, [81.29, 81.29]));
        Assert.Equal("      1048576          640        81.29     12899.20", row);
        Assert.Equal("            0         1000         0.15         0.00",
            ImbFormat.Row(MicroBenchmark.PingPong, new SizeResult(0, 1000, [0.15, 0.149])));
    }

    [Fact]
    public void PingPongReportsTheSlowerSideAndIgnoresIdleRanks()
    {
        var result = new SizeResult(8, 1000, [0.20, 0.25, double.NaN]);
        Assert.Equal(0.25, result.MaxMicroseconds);
        Assert.Equal(0.20, result.MinMicroseconds);
        Assert.Equal(0.225, result.AvgMicroseconds, 12);
        Assert.Equal(32, result.MbytesPerSecond, 12);
    }

    [Fact]
    public void CollectiveRowHasMinMaxAvgOverRanks()
    {
        var row = ImbFormat.Row(MicroBenchmark.Alltoall, new SizeResult(4194304, 10, [1000.0, 3000.5, 2000.25]));
        Assert.Equal("      4194304           10      1000.00      3000.50      2000.25", row);
        Assert.All(row.Chunk(ImbFormat.ColumnWidth), c => Assert.Equal(ImbFormat.ColumnWidth, c.Length));
    }

    [Fact]
    public void ValuesWiderThanAColumnRunOnAsPrintfDoes()
    {
        var row = ImbFormat.Row(MicroBenchmark.Bcast, new SizeResult(1, 1, [12345678901.5, 12345678901.5, 12345678901.5]));
        Assert.Equal("            1            112345678901.5012345678901.5012345678901.50", row);
    }

    [Fact]
    public void PreambleListsTheBenchmarkAndSizesAsImb()
    {
        var text = ImbFormat.Preamble(new MicroBenchmarkOptions([MicroBenchmark.Reduce]) { MaxLog = 20 }, new DateTime(2026, 3, 5, 7, 8, 9));
        Assert.Contains("# Date                  : Thu Mar  5 07:08:09 2026\n", text);
        Assert.Contains("# Minimum message length in bytes:   0\n# Maximum message length in bytes:   1048576\n", text);
        Assert.Contains("# MPI_Datatype for reductions    :   MPI_FLOAT\n", text);
        Assert.EndsWith("# List of Benchmarks to run:\n\n# Reduce\n", text);
    }

    [Fact]
    public void PreambleListsSeveralBenchmarksInTheirOrder()
    {
        var options = new MicroBenchmarkOptions([MicroBenchmark.Alltoall, MicroBenchmark.PingPong, MicroBenchmark.Barrier]);
        Assert.EndsWith("# List of Benchmarks to run:\n\n# Alltoall\n# PingPong\n# Barrier\n", ImbFormat.Preamble(options, DateTime.Now));
    }

    [Fact]
    public void StatisticsBlockFollowsPingpongLat()
    {
        var stats = LatencyStatistics.Of([1, 2, 3, 4, 5, 6, 7, 100]);
        var report = new LatencyReport(new MicroBenchmarkOptions([MicroBenchmark.PingPong]) { Stats = true }, 2, 2, 10, [], stats);
        var lines = ImbFormat.Statistics(report).Split('\n');
        Assert.Contains("#Iterations     8", lines);
        Assert.Contains("#Minimum        1.00", lines);
        Assert.Contains("#Maximum        100.00", lines);
        Assert.Contains("#Median         4.50", lines);
        Assert.Contains("#Lower Quartil  2.50", lines);
        Assert.Contains("#Upper Quartil  6.50", lines);
        Assert.Contains("#Upper Whisker  7.00", lines);
        Assert.Contains("#Upper Outlier  1", lines);
        Assert.Contains("# Benchmarking PingPong ", lines);
    }
}
