using Cosched.Study.Plan;
using Cosched.Study.Running;
using Cosched.Study.Running.Workloads;

namespace Cosched.Study.Tests;

/// <summary>Each workload object builds the command a user would type and reads the output that
/// command really prints (captured from runs of `cosched bench`, `cosched npb`, `cosched blast
/// search` and Intel MPI Benchmarks under Open MPI).</summary>
public class WorkloadTests
{
    private static readonly string[] Cosched = ["./cosched"];

    private static Configuration Make(string experiment, string mpi, string workload, int vms, string channels, string size) =>
        new(experiment, mpi, workload, 2, vms, "compact", channels, size, 0.03);

    [Fact]
    public void TheMicroBenchmarkMeasuresAPlacementsCollectivesInOneCommand()
    {
        var workload = new MicroBenchmarkWorkload(Cosched);
        var barrier = Make(Experiment.Collectives, Configuration.Cosched, "barrier", 2, "per-vm", "0:3");
        var alltoall = barrier with { Workload = "alltoall" };
        Assert.Equal(workload.BatchKey(barrier), workload.BatchKey(alltoall));
        Assert.NotEqual(workload.BatchKey(barrier), workload.BatchKey(barrier with { Vms = 1 }));
        Assert.Null(workload.BatchKey(Make(Experiment.PointToPoint, Configuration.Cosched, "pingpong", 0, "locality", "0:20")));
        Assert.Equal("./cosched bench barrier alltoall --msglog 0:3 --time 0.03 -n 2 --channels per-vm --vms 2 --pin compact --launch-report R --format json",
            string.Join(' ', workload.Command([barrier, alltoall], "R")));

        // `cosched bench barrier alltoall -n 2 --msglog 0:1 --format json`, abridged: one object per line.
        const string output = """
            {"benchmark":"barrier","imb_name":"Barrier","processes":2,"job_size":2,"channels":"per-vm","vm_kind":"namespace","algorithms":{},"msglog":"0:1","time_seconds":0.03,"ranks":[],"results":[{"benchmark":"barrier","processes":2,"channels":"per-vm","bytes":0,"repetitions":1000,"t_usec":null,"mbytes_per_sec":null,"t_min_usec":14.9,"t_max_usec":15.2,"t_avg_usec":15.05,"vm_kind":"namespace","rank_usec":[14.9,15.2]}]}
            {"benchmark":"alltoall","imb_name":"Alltoall","processes":2,"job_size":2,"channels":"per-vm","vm_kind":"namespace","algorithms":{},"msglog":"0:1","time_seconds":0.03,"ranks":[],"results":[{"benchmark":"alltoall","processes":2,"channels":"per-vm","bytes":0,"repetitions":1000,"t_usec":null,"mbytes_per_sec":null,"t_min_usec":0.1,"t_max_usec":0.1,"t_avg_usec":0.1,"vm_kind":"namespace","rank_usec":[0.1,0.1]},{"benchmark":"alltoall","processes":2,"channels":"per-vm","bytes":1,"repetitions":1000,"t_usec":null,"mbytes_per_sec":null,"t_min_usec":14.1,"t_max_usec":14.6,"t_avg_usec":14.35,"vm_kind":"namespace","rank_usec":[14.1,14.6]}]}
            """;
        var outcomes = workload.Read([barrier, alltoall], output, "cmd", "namespace");
        Assert.Equal([15.05], outcomes[0].Measurements.Select(m => m.Latency!.Value));
        Assert.Equal([(0L, 0.1), (1L, 14.35)], outcomes[1].Measurements.Select(m => (m.Bytes, m.Latency!.Value)));
        Assert.All(outcomes, o => Assert.Equal((true, "namespace"), (o.Ok, o.VmKind)));
        var missing = workload.Read([barrier, barrier with { Workload = "bcast" }], output, "cmd", "namespace");
        Assert.Equal((true, false), (missing[0].Ok, missing[1].Ok));
    }

    [Fact]
    public void TheNasKernelCountsOnlyWhenItVerified()
    {
        var workload = new NasWorkload(Cosched);
        var configuration = Make(Experiment.Applications, Configuration.Cosched, "is", 0, "locality", "S");
        Assert.Equal("./cosched npb is --class S -n 2 --channels locality --launch-report R --format json", string.Join(' ', workload.Command([configuration], "R")));
        // `cosched npb is --class S -n 2 --format json`.
        const string output = """
            {
              "benchmark": "is",
              "class": "S",
              "size": "65536",
              "iterations": 10,
              "seconds": 0.0260047,
              "processes": 2,
              "mops_total": 25.201598172638025,
              "mops_per_process": 12.600799086319013,
              "operation_type": "keys ranked",
              "verified": true
            }
            """;
        var outcome = workload.Read([configuration], output, "cmd", "native").Single();
        Assert.True(outcome.Ok);
        Assert.Equal(("S", 10L, 0.0260047), (outcome.Application!.Class, outcome.Application.Iterations, outcome.Application.Seconds));
        var failed = workload.Read([configuration], output.Replace("\"verified\": true", "\"verified\": false"), "cmd", "native").Single();
        Assert.Equal((false, "is class S: verification failed"), (failed.Ok, failed.Error));
    }

    [Fact]
    public void TheBlastSearchIsCheckedAgainstItsQueriesAndTheFirstPlacement()
    {
        using var directory = new TempDirectory();
        var workload = new BlastWorkload(Cosched, directory.Path);
        var configuration = Make(Experiment.Applications, Configuration.Cosched, "blast", 2, "per-vm", "2");
        var command = workload.Command([configuration], "R");
        int output = command.ToList().IndexOf("--out") + 1;
        // `cosched blast search --format json`, and its tabular output.
        const string json = """
            {
              "program": "blast search",
              "ranks": 2,
              "queries": 2,
              "hsps": 3,
              "seconds": 1.2702213,
              "mcups": 22298.03874694054,
              "digest": "ab8926f8a09ab7696bf080a84453a109c0e341de6bff63236ed50000599c085e"
            }
            """;
        const string hits = "q0|s18380\ts18380\t71.605\t243\t67\t2\t1\t242\t2\t243\t1.66e-105\t305\nq0|s18380\ts264\t24.138\t87\t50\t2\t155\t232\t27\t106\t0.14\t32.0\nq1|s7\ts7\t80.0\t100\t20\t0\t1\t100\t1\t100\t1e-50\t200\n";
        Directory.CreateDirectory(Path.GetDirectoryName(command[output])!);
        File.WriteAllText(command[output], hits);
        var outcome = workload.Read([configuration], json, "cmd", "namespace").Single();
        Assert.True(outcome.Ok, outcome.Error);
        Assert.Equal(("2 queries", 1.2702213), (outcome.Application!.Class, outcome.Application.Seconds));
        Assert.False(File.Exists(command[output]));

        // Another placement that printed other hits fails.
        File.WriteAllText(command[output], hits);
        var other = workload.Read([configuration], json.Replace("ab89", "0000"), "cmd", "namespace").Single();
        Assert.Equal((false, "blast: its hits differ from the first placement's"), (other.Ok, other.Error));
    }

    [Fact]
    public void TheOpenMpiPeerRunsImbNativelyAndInVmsThroughCoschedMpirun()
    {
        var workload = new OpenMpiImbWorkload(Cosched, "/x/IMB-MPI1");
        var inVms = Make(Experiment.Collectives, Configuration.OpenMpi, "barrier", 2, "per-vm", "0:3");
        Assert.Equal("./cosched mpirun -n 2 --vms 2 --pin compact --channels per-vm --launch-report R -- /x/IMB-MPI1 -npmin 2 -msglog 0:3 -time 0.5 -mem 1 Barrier",
            string.Join(' ', workload.Command([inVms], "R")));
        // IMB-MPI1 under Open MPI, abridged.
        const string output = """
            #---------------------------------------------------
            # Benchmarking Barrier
            # #processes = 2
            #---------------------------------------------------
             #repetitions  t_min[usec]  t_max[usec]  t_avg[usec]
                     1000        12.18        12.20        12.19
            """;
        var outcome = workload.Read([inVms], output, "cmd", "namespace").Single();
        Assert.Equal([12.19], outcome.Measurements.Select(m => m.Latency!.Value));
        Assert.False(workload.Read([inVms], "# Benchmarking Barrier\n time-out", "cmd", "namespace").Single().Ok);
    }

    [Fact]
    public void TheMigrationPingPongMovesVmOneToHostZeroAndBackAndKeepsItsTimeSeries()
    {
        var workload = new MigrationWorkload(Cosched);
        var configuration = new Configuration(Experiment.Migration, Configuration.Cosched, StudyWorkloads.Migration, 2, 2, "compact", "locality", "8", 3);
        Assert.True(workload.Handles(configuration));
        Assert.False(workload.Handles(Make(Experiment.PointToPoint, Configuration.Cosched, "pingpong", 2, "locality", "0:20")));
        Assert.Equal("./cosched bench pingpong --timeseries --time 3 --size 8 -n 2 --channels locality --vms 2 --pin compact --launch-report R "
            + "--hosts 2 --vm-hosts 0,1 --migrate 1:1:0,2:1:1 --format json", string.Join(' ', workload.Command([configuration], "R")));
        Assert.Contains("--migrate 0.667:1:0,1.333:1:1", string.Join(' ', workload.Command([configuration with { Seconds = 2 }], "R")));

        // `cosched bench pingpong -n 2 --vms 2 --hosts 2 --timeseries --time 3 --migrate 1:1:0,2:1:1 --format json`, abridged to four windows.
        const string output = """
            {"benchmark":"pingpong","bytes":8,"channels":"locality","window_ms":20,"timeseries":[{"time_s":0.020001,"latency_us":6.5836,"roundtrips":1519,"channel":"tcp"},{"time_s":0.990225,"latency_us":13.4384,"roundtrips":745,"channel":"tcp"},{"time_s":1.097717,"latency_us":2.7197,"roundtrips":3677,"channel":"shm-host"},{"time_s":2.098227,"latency_us":4.855,"roundtrips":2060,"channel":"tcp"}],"migrations":[{"move":1,"vm":1,"from":1,"to":0,"at_s":1.007723,"suspend_ms":24.009,"move_ms":11.929,"attach_ms":4.456,"reselect_ms":13.387,"total_ms":53.78,"longest_wait_ms":9.886,"what_moved":"namespace provider: cpuset 0 and the destination's host segment moved; processes and memory stay where they are"},{"move":2,"vm":1,"from":0,"to":1,"at_s":2.000864,"suspend_ms":1.917,"move_ms":0.608,"attach_ms":2.261,"reselect_ms":0.297,"total_ms":5.083,"longest_wait_ms":0.802,"what_moved":"namespace provider: cpuset 1 and the destination's host segment moved; processes and memory stay where they are"}]}
            """;
        var outcome = workload.Read([configuration], output, "cmd", "namespace").Single();
        Assert.True(outcome.Ok, outcome.Error);
        var series = outcome.TimeSeries!;
        Assert.Equal((8L, 20.0), (series.Bytes, series.WindowMs));
        Assert.Equal(new LatencyWindow(1.097717, 2.7197, 3677, "shm-host"), series.Windows[2]);
        Assert.Equal(["tcp", "tcp", "shm-host", "tcp"], series.Windows.Select(w => w.Channel));
        var (consolidate, spread) = (series.Moves[0], series.Moves[1]);
        Assert.Equal((1, 1, 1, 0, 1.007723), (consolidate.Move, consolidate.Vm, consolidate.From, consolidate.To, consolidate.AtSeconds));
        Assert.Equal((24.009, 11.929, 4.456, 13.387, 53.78, 9.886), (consolidate.SuspendMs, consolidate.MoveMs, consolidate.AttachMs, consolidate.ReselectMs, consolidate.TotalMs, consolidate.LongestWaitMs));
        Assert.Equal(1.061503, consolidate.EndSeconds, 9);
        Assert.Equal((0, 1), (spread.From, spread.To));
        Assert.StartsWith("namespace provider: cpuset 1 and", spread.WhatMoved);

        // A run that made only one of its moves measured no spreading again.
        var oneMove = workload.Read([configuration], output[..output.IndexOf(",{\"move\":2", StringComparison.Ordinal)] + "]}", "cmd", "namespace").Single();
        Assert.Equal((false, "migration: the run recorded 1 of its 2 moves"), (oneMove.Ok, oneMove.Error));
    }
}
