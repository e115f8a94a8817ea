using Cosched.Study.Running;

namespace Cosched.Study.Tests;

/// <summary>The Open MPI peer's numbers come from Intel MPI Benchmarks' text tables.</summary>
public class ImbOutputTests
{
    // As IMB-MPI1 2021 prints it under Open MPI (trimmed header).
    private const string Output = """
        # List of Benchmarks to run:

        # PingPong
        # Barrier
        # Allreduce

        #---------------------------------------------------
        # Benchmarking PingPong
        # #processes = 2
        #---------------------------------------------------
               #bytes #repetitions      t[usec]   Mbytes/sec
                    0         1000         0.16         0.00
                    1         1000         0.14         6.90
                    8         1000         0.14        55.22

        #---------------------------------------------------
        # Benchmarking Barrier
        # #processes = 2
        #---------------------------------------------------
         #repetitions  t_min[usec]  t_max[usec]  t_avg[usec]
                 1000         0.18         0.18         0.18

        #----------------------------------------------------------------
        # Benchmarking Allreduce
        # #processes = 2
        #----------------------------------------------------------------
               #bytes #repetitions  t_min[usec]  t_max[usec]  t_avg[usec]
                    0         1000         0.03         0.04         0.03
                    4         1000         0.25         0.28         0.27
                    8          640         0.27         0.31         0.29


        # All processes entering MPI_Finalize
        """;

    [Fact]
    public void PingPongRowsKeepLatencyAndBandwidth()
    {
        var rows = ImbOutput.Parse(Output, "PingPong");
        Assert.Equal([0L, 1, 8], rows.Select(r => r.Bytes));
        Assert.Equal(0.14, rows[2].TUsec);
        Assert.Equal(55.22, rows[2].MbytesPerSec);
        Assert.Equal(0.14, rows[2].Latency);
        Assert.Null(rows[2].TAvgUsec);
    }

    [Fact]
    public void BarrierHasOneRowOfZeroBytes()
    {
        var row = Assert.Single(ImbOutput.Parse(Output, "Barrier"));
        Assert.Equal(0, row.Bytes);
        Assert.Equal(1000, row.Repetitions);
        Assert.Equal(0.18, row.Latency);
    }

    [Fact]
    public void CollectiveRowsAreTheirBlockOnly()
    {
        var rows = ImbOutput.Parse(Output, "Allreduce");
        Assert.Equal([0L, 4, 8], rows.Select(r => r.Bytes));
        Assert.Equal(640, rows[2].Repetitions);
        Assert.Equal((0.27, 0.31, 0.29), (rows[2].TMinUsec!.Value, rows[2].TMaxUsec!.Value, rows[2].TAvgUsec!.Value));
    }

    [Fact]
    public void ASizeImbGaveUpOnIsLeftOut()
    {
        const string timedOut = """
            # Benchmarking PingPong
            # #processes = 2
                   #bytes #repetitions      t[usec]   Mbytes/sec
                        0         1000         7.20         0.00
                        1 time-out.; Time limit (secs_per_sample * msg_sizes_list_len) is over; use "-time X" or SECS_PER_SAMPLE=X (IMB_settings.h) to increase time limit.

            # All processes entering MPI_Finalize
            """;
        Assert.Equal([0L], ImbOutput.Parse(timedOut, "PingPong").Select(r => r.Bytes));
    }

    [Fact]
    public void AMissingBlockGivesNoRows() => Assert.Empty(ImbOutput.Parse(Output, "Alltoall"));
}
