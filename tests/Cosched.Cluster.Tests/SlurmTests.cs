using System.Text.RegularExpressions;
using Cosched.Tests.Shared;

namespace Cosched.Cluster.Tests;

/// <summary>Cosched programs on the three-node Slurm test cluster, started by `srun --mpi=pmix` as on
/// any Slurm cluster: 6 ranks, 2 per node (Slurm's block distribution), shared memory inside a node
/// and tcp between nodes.</summary>
[Collection(SlurmCollection.Name)]
public sealed class SlurmTests(SlurmCluster cluster, MpiPrograms programs)
{
    private const int Ranks = 6;
    private static readonly string[] SixOverThree = ["-N", "3", "-n", Ranks.ToString(), "--mpi=pmix"];

    private static void Succeeded(CoschedCli.Result result, string expected)
    {
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Output}\n{result.Error}");
        Assert.Contains(expected, result.Output);
    }

    [SlurmFact]
    public void TheNodesAreThreeHostsWithTheirOwnNames()
    {
        var result = cluster.Srun("-N", "3", "hostname");
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(["node1", "node2", "node3"], result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order());
    }

    [SlurmFact]
    public void EveryCollectiveMatchesTheSequentialReference()
    {
        Succeeded(cluster.Srun([.. SixOverThree, .. Launchers.TestRank("collectives")]), "collectives ok");
        Succeeded(cluster.Srun([.. SixOverThree, programs.Build("collectives.c")]), "collectives ok on 6 ranks");
    }

    [SlurmFact]
    public void AStormOfRandomSizesAndTagsWithAnySourceLosesNothing()
    {
        Succeeded(cluster.Srun([.. SixOverThree, .. Launchers.TestRank("storm", "2")]), "storm ok");
        Succeeded(cluster.Srun([.. SixOverThree, programs.Build("p2p.c")]), "p2p ok");
    }

    [SlurmFact]
    public void FortranProgramsStartTheSameWay() =>
        Succeeded(cluster.Srun(["-N", "2", "-n", "4", "--mpi=pmix", programs.Build("fortran_collectives.f90")]), "collectives ok");

    /// <summary>`cosched bench` as the rank program, with IMB's output, and each rank's bindings: shm
    /// to the rank on its node, tcp to the four on the other nodes.</summary>
    [SlurmFact]
    public void BenchShowsShmInsideANodeAndTcpBetweenNodes()
    {
        var result = cluster.Srun([.. SixOverThree, Launchers.Cosched, "bench", "allreduce", "--msglog", "0:3", "--time", "0.05", "--report-bindings"]);
        Succeeded(result, "# Benchmarking Allreduce");
        Assert.Matches(@"#processes = 6", result.Output);
        for (int rank = 0; rank < Ranks; rank++)
        {
            var line = Regex.Match(result.Error, $@"cosched: rank {rank} on node (node\d) .*channels: (.*)");
            Assert.True(line.Success, $"no bindings of rank {rank}: {result.Error}");
            Assert.Equal($"node{rank / 2 + 1}", line.Groups[1].Value);
            var expected = Enumerable.Range(0, Ranks).Where(r => r != rank).Select(r => $"{r}={(r / 2 == rank / 2 ? "shm" : "tcp")}");
            Assert.Equal(string.Join(' ', expected), line.Groups[2].Value.Trim());
        }
    }

    [SlurmFact]
    public void ARankThatExitsWithAnErrorEndsTheStep()
    {
        var result = cluster.Srun([.. SixOverThree, .. Launchers.TestRank("exit", "3", "5")]);
        Assert.NotEqual(0, result.ExitCode);
        Assert.True(result.Elapsed < TimeSpan.FromSeconds(20), $"srun took {result.Elapsed.TotalSeconds:0.0} s");
    }

    [SlurmFact]
    public void MpiAbortEndsTheStep()
    {
        var result = cluster.Srun(["-N", "2", "-n", "2", "--mpi=pmix", programs.Build("errors.c"), "abort"]);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("MPI_Abort was called by rank 1 with error code 7", result.Error);
        Assert.True(result.Elapsed < TimeSpan.FromSeconds(20), $"srun took {result.Elapsed.TotalSeconds:0.0} s");
    }

    [SlurmFact]
    public void AKilledRankEndsTheStepWithinSeconds() =>
        Launchers.KillARankAndSeeTheJobEnd("srun", ["--time=2", .. SixOverThree], Ranks, victim: 3, cluster.Environment);

    [SlurmFact]
    public void WithoutPmixACoschedRankSaysHowToStartIt()
    {
        var result = cluster.Srun(["-N", "2", "-n", "2", "--mpi=none", .. Launchers.TestRank("hello")]);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("srun --mpi=pmix", result.Error);
        Assert.DoesNotContain("   at ", result.Error);
    }

    [SlurmFact]
    public void SrunWithABadOptionOrAnUnknownNodeFailsClearly()
    {
        var bad = cluster.Srun("--no-such-option", "hostname");
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("unrecognized option", bad.Error);
        var unknown = cluster.Srun("-w", "node9", "hostname");
        Assert.NotEqual(0, unknown.ExitCode);
        Assert.Contains("Invalid node name", unknown.Error);
        var tooMany = cluster.Srun("-N", "4", "--immediate=5", "hostname");
        Assert.NotEqual(0, tooMany.ExitCode);
        Assert.Contains("Unable to allocate resources", tooMany.Error);
    }

    [SlurmFact]
    public void ASecondClusterIsRefusedWhileOneIsUp()
    {
        var again = CoschedCli.RunProgram(TimeSpan.FromMinutes(1), SlurmCluster.Script, ["up", "--nodes", "2"]);
        Assert.NotEqual(0, again.ExitCode);
        Assert.Contains("already up", again.Error);
        Assert.Equal("", again.Output);
        Assert.True(cluster.Srun("-N", "3", "true").ExitCode == 0, "the cluster that was up no longer runs steps");
    }
}
