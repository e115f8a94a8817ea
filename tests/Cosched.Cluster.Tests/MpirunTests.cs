using System.Text.RegularExpressions;
using Cosched.Tests.Shared;

namespace Cosched.Cluster.Tests;

/// <summary>A fact that needs Open MPI's mpirun (its PMIx server); skipped with a clear message otherwise.</summary>
public sealed class MpirunFactAttribute : FactAttribute
{
    public MpirunFactAttribute()
    {
        if (!Launchers.OnPath("mpirun")) Skip = "needs Open MPI's mpirun (apt-get install openmpi-bin; CI installs it)";
    }
}

/// <summary>Cosched programs started by Open MPI's mpirun, unchanged: they join through mpirun's
/// PMIx server and share one node segment (every rank is on this host).</summary>
public sealed class MpirunTests(MpiPrograms programs) : IClassFixture<MpiPrograms>
{
    private static CoschedCli.Result Mpirun(int ranks, params string[] command) =>
        CoschedCli.RunProgram(TimeSpan.FromMinutes(2), "mpirun", ["-np", ranks.ToString(), "--oversubscribe", .. command], Launchers.OpenMpiAsRoot);

    private static void Succeeded(CoschedCli.Result result, string expected)
    {
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Output}\n{result.Error}");
        Assert.Contains(expected, result.Output);
    }

    [MpirunFact]
    public void CSharpCollectivesAreRightOnFourRanks() =>
        Succeeded(Mpirun(4, Launchers.TestRank("collectives")), "collectives ok");

    [MpirunFact]
    public void AStormOfRandomSizesAndTagsWithAnySourceLosesNothing() =>
        Succeeded(Mpirun(4, Launchers.TestRank("storm", "1")), "storm ok");

    [MpirunFact]
    public void CProgramsBuiltWithCoschedsMpiccRunUnderMpirun()
    {
        Succeeded(Mpirun(4, programs.Build("collectives.c")), "collectives ok on 4 ranks");
        Succeeded(Mpirun(3, programs.Build("p2p.c")), "p2p ok");
    }

    [MpirunFact]
    public void AFortranProgramRunsUnderMpirun() =>
        Succeeded(Mpirun(3, programs.Build("fortran_collectives.f90")), "collectives ok");

    /// <summary>`cosched bench` is a rank program under mpirun: IMB's output, as under `cosched run`,
    /// and the bindings of every rank (shared memory: all ranks are on this node).</summary>
    [MpirunFact]
    public void BenchPrintsImbOutputAndBindings()
    {
        var result = Mpirun(4, Launchers.Cosched, "bench", "allreduce", "--msglog", "0:3", "--time", "0.05", "--report-bindings");
        Succeeded(result, "# Benchmarking Allreduce");
        Assert.Matches(@"(?m)^\s+8\s+\d+\s+[\d.]+\s+[\d.]+\s+[\d.]+", result.Output);
        for (int rank = 0; rank < 4; rank++)
        {
            var line = Regex.Match(result.Error, $@"cosched: rank {rank} on node \S+ .*channels: (.*)");
            Assert.True(line.Success, $"no bindings of rank {rank}: {result.Error}");
            Assert.Equal(3, Regex.Matches(line.Groups[1].Value, @"\d=shm").Count);
        }
    }

    /// <summary>`cosched blast search` finds the same hits under mpirun as under `cosched run`, and bad
    /// input is said once (by rank 0) with the usage exit code.</summary>
    [MpirunFact]
    public void BlastSearchFindsTheSameHitsAsUnderCoschedRun()
    {
        const string Proteins = "/usr/share/doc/mmseqs2/example-data/DB.fasta.gz";
        Assert.True(File.Exists(Proteins), $"{Proteins} is missing (apt-get install mmseqs2-examples; CI installs it)");
        var directory = Directory.CreateTempSubdirectory("cosched-mpirun-blast").FullName;
        try
        {
            using (var gzip = new System.IO.Compression.GZipStream(File.OpenRead(Proteins), System.IO.Compression.CompressionMode.Decompress))
            using (var reader = new StreamReader(gzip))
            {
                var records = reader.ReadToEnd().Split('>', StringSplitOptions.RemoveEmptyEntries).Take(600).Select(r => ">" + r).ToArray();
                File.WriteAllText(Path.Combine(directory, "db.fasta"), string.Concat(records));
                File.WriteAllText(Path.Combine(directory, "query.fasta"), string.Concat(records[100..103]));
                File.WriteAllText(Path.Combine(directory, "bad.fasta"), ">empty\n");
            }
            var db = Path.Combine(directory, "db");
            Assert.Equal(0, CoschedCli.Run(TimeSpan.FromMinutes(1), "blast", "makedb", "--in", Path.Combine(directory, "db.fasta"), "--out", db).ExitCode);
            string[] search = ["blast", "search", "--db", db, "--query", Path.Combine(directory, "query.fasta"), "--format", "json"];
            var launched = CoschedCli.Run(TimeSpan.FromMinutes(2), [.. search, "-n", "2"]);
            Assert.True(launched.ExitCode == 0, launched.Error);
            var underMpirun = Mpirun(2, [Launchers.Cosched, .. search]);
            Assert.True(underMpirun.ExitCode == 0, underMpirun.Error);
            var digest = new Regex("\"digest\": \"([0-9a-f]+)\"");
            Assert.Equal(digest.Match(launched.Output).Groups[1].Value, digest.Match(underMpirun.Output).Groups[1].Value);

            var bad = Mpirun(2, Launchers.Cosched, "blast", "search", "--db", db, "--query", Path.Combine(directory, "bad.fasta"));
            Assert.Equal(2, bad.ExitCode);
            Assert.Single(Regex.Matches(bad.Error, "empty sequence"));
        }
        finally { Directory.Delete(directory, true); }
    }

    [MpirunFact]
    public void OptionsThatNeedCoschedsLauncherAreRefusedInOneLine()
    {
        var mismatch = Mpirun(2, Launchers.Cosched, "bench", "pingpong", "-n", "3");
        Assert.Equal(2, mismatch.ExitCode);
        Assert.Contains("-n 3 does not match the 2 ranks srun or mpirun started", mismatch.Error);
        var vms = Mpirun(2, Launchers.Cosched, "bench", "pingpong", "--vms", "2");
        Assert.Equal(2, vms.ExitCode);
        Assert.Contains("--vms", vms.Error);
        foreach (var result in new[] { mismatch, vms }) Assert.DoesNotContain("   at ", result.Error);
    }

    [MpirunFact]
    public void ARankThatExitsWithAnErrorEndsTheJob()
    {
        var result = Mpirun(4, Launchers.TestRank("exit", "2", "5"));
        Assert.Equal(5, result.ExitCode);
        Assert.True(result.Elapsed < TimeSpan.FromSeconds(20), $"mpirun took {result.Elapsed.TotalSeconds:0.0} s");
    }

    [MpirunFact]
    public void MpiAbortEndsTheJobWithItsCode()
    {
        var result = Mpirun(2, programs.Build("errors.c"), "abort");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("MPI_Abort was called by rank 1 with error code 7", result.Error);
        Assert.True(result.Elapsed < TimeSpan.FromSeconds(20), $"mpirun took {result.Elapsed.TotalSeconds:0.0} s");
    }

    [MpirunFact]
    public void AKilledRankEndsTheJobWithinSeconds() =>
        Launchers.KillARankAndSeeTheJobEnd("mpirun", ["-np", "4", "--oversubscribe"], 4, victim: 1, Launchers.OpenMpiAsRoot);
}
