using Cosched.Study.Plan;
using Cosched.Study.Running;
using Cosched.Study.Running.Workloads;
using Cosched.Tests.Shared;

namespace Cosched.Study.Tests;

/// <summary>NPB's own binaries and IMB built with cosched mpicc as the study runs them: the command a
/// user would type, NPB's printed report read (samples captured from real runs), and a binary's MPI
/// told from what ldd prints.</summary>
public class NpbWorkloadTests
{
    private static readonly string[] Cosched = ["./cosched"];

    /// <summary>`./cosched run -n 2 -- bin/is.A.x`: NPB 3.4.1's IS (C) built with `cosched mpicc`, its whole output.</summary>
    internal const string IsClassA = """


             NAS Parallel Benchmarks 3.4 -- IS Benchmark

             Size:  8388608  (class A)
             Iterations:   10
             Total number of processes:  2

               iteration
                    1
                    2
                    3
                    4
                    5
                    6
                    7
                    8
                    9
                    10


             IS Benchmark Completed
             Class           =                        A
             Size            =                  8388608
             Iterations      =                       10
             Time in seconds =                     1.19
             Total processes =                        2
             Active processes=                        2
             Mop/s total     =                    70.39
             Mop/s/process   =                    35.19
             Operation type  =              keys ranked
             Verification    =               SUCCESSFUL
             Version         =                    3.4.1
             Compile date    =              02 Dec 2026

             Compile options:
                MPICC        = REPOSITORY/.build/mpi/bin/mpicc
                CLINK        = $(MPICC)
                CMPI_LIB     = (none)
                CMPI_INC     = (none)
                CFLAGS       = -O3
                CLINKFLAGS   = $(CFLAGS)


             Please send feedbacks and/or the results of this run to:

             NPB Development Team
             npb@nas.nasa.gov
            """;

    /// <summary>The report of NPB 3.4.1's EP (Fortran, print_results.f90), class S on 2 processes.</summary>
    private const string EpClassS = """


             EP Benchmark Completed.
             Class           =                        S
             Size            =                 33554432
             Iterations      =                        0
             Time in seconds =                     0.45
             Total processes =                        2
             Active processes=                        2
             Mop/s total     =                    74.05
             Mop/s/process   =                    37.03
             Operation type  = Random numbers generated
             Verification    =               SUCCESSFUL
             Version         =                    3.4.1
             Compile date    =              02 Dec 2026
            """;

    private static readonly NpbBinary[] Binaries =
        [new("is", "A", "/npb/bin/is.A.x"), new("cg", "S", "/npb/bin/cg.S.x"), new("bt-mz", "S", "/npb/bin/bt-mz.S.x")];

    private static Configuration Make(string workload, string size, int ranks, int vms, string channels, int threads = 1) =>
        new(StudyWorkloads.ExperimentOf(workload), Configuration.Cosched, workload, ranks, vms, "compact", channels, size, 0.03, threads);

    [Fact]
    public void NpbsReportIsReadFromItsCAndFortranOutput()
    {
        var report = NpbReport.Parse(IsClassA);
        Assert.Equal(("IS", "A", 10L, 1.19, 70.39, 35.19), (report.Benchmark, report.Class, report.Iterations, report.Seconds, report.MopsTotal, report.MopsPerProcess));
        Assert.Equal((2, (int?)2, (int?)null, "SUCCESSFUL", true), (report.Processes, report.ActiveProcesses, report.Threads, report.Verification, report.Verified));
        var ep = NpbReport.Parse(EpClassS);
        Assert.Equal(("EP", "S", 0.45, 74.05, 2, true), (ep.Benchmark, ep.Class, ep.Seconds, ep.MopsTotal, ep.Processes, ep.Verified));
        Assert.Equal(new ApplicationResult("A", 10, 1.19, 70.39, 35.19, true), report.ToApplication());
        Assert.Throws<FormatException>(() => NpbReport.Parse(" NAS Parallel Benchmarks 3.4 -- IS Benchmark\n"));
        Assert.Throws<FormatException>(() => NpbReport.Parse(IsClassA.Replace("Time in seconds", "Time", StringComparison.Ordinal)));
    }

    [Fact]
    public void ABinaryRunsUnderCoschedRunAndCountsOnlyWhenNpbVerifiedIt()
    {
        var workload = new NpbBinaryWorkload(Cosched, Binaries);
        var inVms = Make("npb:is", "A", 2, 2, "per-vm");
        Assert.True(workload.Handles(inVms));
        Assert.False(new NasWorkload(Cosched).Handles(inVms));
        Assert.Equal("./cosched run -n 2 --channels per-vm --vms 2 --pin compact --launch-report R -- /npb/bin/is.A.x", string.Join(' ', workload.Command([inVms], "R")));

        var outcome = workload.Read([inVms], IsClassA, "cmd", "namespace").Single();
        Assert.True(outcome.Ok, outcome.Error);
        Assert.Equal(("A", 1.19, true), (outcome.Application!.Class, outcome.Application.Seconds, outcome.Application.Verified));

        var unverified = workload.Read([inVms], IsClassA.Replace("  SUCCESSFUL", "UNSUCCESSFUL", StringComparison.Ordinal), "cmd", "namespace").Single();
        Assert.Equal((false, "NPB IS class A: NPB's verification: UNSUCCESSFUL"), (unverified.Ok, unverified.Error));
        Assert.Null(unverified.Application);
        var idle = workload.Read([inVms], IsClassA.Replace("Active processes=                        2", "Active processes=                        1", StringComparison.Ordinal), "cmd", "namespace").Single();
        Assert.Equal("NPB IS class A: only 1 of its 2 processes worked (IS needs a power of two ranks)", idle.Error);
        Assert.Equal("NPB IS class A: it ran on 2 processes, not 4", workload.Read([inVms with { Ranks = 4 }], IsClassA, "cmd", "namespace").Single().Error);
        Assert.Equal("no cg.A.x (or .2) among the NPB binaries given", workload.Prepare(Make("npb:cg", "A", 2, 0, "locality")));
    }

    [Fact]
    public void AMultiZoneMixSetsEachRanksThreadsAndLeavesThemUnbound()
    {
        var workload = new NpbBinaryWorkload(Cosched, Binaries);
        Assert.Equal("env OMP_NUM_THREADS=2 ./cosched run -n 1 --channels locality --launch-report R --bind-to none -- /npb/bin/bt-mz.S.x",
            string.Join(' ', workload.Command([Make("npb:bt-mz", "S", 1, 0, "locality", threads: 2)], "R")));
        // One thread per rank: bound to its core, as every other rank of the study.
        Assert.Equal("env OMP_NUM_THREADS=1 ./cosched run -n 2 --channels per-vm --vms 2 --pin compact --launch-report R -- /npb/bin/bt-mz.S.x",
            string.Join(' ', workload.Command([Make("npb:bt-mz", "S", 2, 2, "per-vm")], "R")));
    }

    [Fact]
    public void ImbBuiltWithCoschedRunsAPlacementsBenchmarksInOneCoschedRun()
    {
        var workload = new CoschedImbWorkload(Cosched, "/imb/IMB-MPI1");
        var barrier = new Configuration(Experiment.Collectives, Configuration.CoschedImb, "barrier", 2, 2, "compact", "locality", "0:3", 0.03);
        var alltoall = barrier with { Workload = "alltoall" };
        Assert.Equal(workload.BatchKey(barrier), workload.BatchKey(alltoall));
        Assert.NotEqual(new MicroBenchmarkWorkload(Cosched).BatchKey(barrier with { Mpi = Configuration.Cosched }), workload.BatchKey(barrier));
        Assert.Equal("./cosched run -n 2 --channels locality --vms 2 --pin compact --launch-report R -- /imb/IMB-MPI1 -npmin 2 -msglog 0:3 -time 0.5 -mem 1 Barrier Alltoall",
            string.Join(' ', workload.Command([barrier, alltoall], "R")));
        // IMB-MPI1 built with cosched mpicc, abridged.
        const string output = """
            #----------------------------------------------------------------
            # Benchmarking Alltoall
            # #processes = 2
            #----------------------------------------------------------------
                   #bytes #repetitions  t_min[usec]  t_max[usec]  t_avg[usec]
                        0         1000         0.05         0.06         0.05
                        8         1000         1.42         1.47         1.44
            """;
        var outcomes = workload.Read([barrier, alltoall], output, "cmd", "namespace");
        Assert.Equal((false, "Intel MPI Benchmarks printed no result table for Barrier"), (outcomes[0].Ok, outcomes[0].Error));
        Assert.Equal([(0L, 0.05), (8L, 1.44)], outcomes[1].Measurements.Select(m => (m.Bytes, m.Latency!.Value)));
    }

    [Fact]
    public void LddTellsWhichMpiABinaryWasBuiltWith()
    {
        // ldd of IMB-MPI1 built with cosched mpicc, and with Open MPI's mpicc.
        const string cosched = """
                linux-vdso.so.1 (0x00007f5e8dc73000)
                libmpi.so => REPOSITORY/.build/mpi/lib/libmpi.so (0x00007f5e8d800000)
                libstdc++.so.6 => /lib/x86_64-linux-gnu/libstdc++.so.6 (0x00007f5e8d400000)
                libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f5e8d61e000)
            """;
        const string openMpi = """
                linux-vdso.so.1 (0x00007f844c4eb000)
                libmpi.so.40 => /lib/x86_64-linux-gnu/libmpi.so.40 (0x00007f844c308000)
                libstdc++.so.6 => /lib/x86_64-linux-gnu/libstdc++.so.6 (0x00007f844c000000)
            """;
        Assert.Equal(Configuration.Cosched, MpiLinkage.FromLdd(cosched));
        Assert.Equal(Configuration.OpenMpi, MpiLinkage.FromLdd(openMpi));
        Assert.Null(MpiLinkage.FromLdd("\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f450f775000)\n"));
        // A script is no dynamic program: ldd fails, and nothing is known.
        Assert.Null(MpiLinkage.Of(Path.Combine(CoschedCli.RepositoryRoot, "cosched")));
    }
}
