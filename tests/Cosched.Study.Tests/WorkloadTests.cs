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
}
