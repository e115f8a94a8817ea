using System.Diagnostics;
using Cosched.Tests.Shared;

namespace Cosched.Cluster.Tests;

/// <summary>Starts programs the way a cluster user does: through srun, mpirun or the cluster script,
/// with the environment the test gives, and captures what they did.</summary>
internal static class Launchers
{
    public static bool IsRoot => Environment.UserName == "root";

    /// <summary>Open MPI refuses root unless told twice; the tests run as root in CI.</summary>
    public static readonly Dictionary<string, string> OpenMpiAsRoot = new()
    {
        ["OMPI_ALLOW_RUN_AS_ROOT"] = "1",
        ["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1",
    };

    /// <summary>The test rank program as a command line (any rank program runs under srun and mpirun unchanged).</summary>
    public static string[] TestRank(params string[] arguments) => CoschedCli.TestRank(arguments);

    /// <summary>The repository's `cosched` as a rank program.</summary>
    public static string Cosched => Path.Combine(CoschedCli.RepositoryRoot, "cosched");

    public static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, program)));

    /// <summary>What a Cosched job may leave on a node's /dev/shm if it went wrong: the PMIx node segments.</summary>
    public static string[] NodeSegments() => Directory.GetFiles("/dev/shm", "cosched-pmix-*");

    /// <summary>Starts a `forever` job of <paramref name="ranks"/> ranks with <paramref name="launcher"/>,
    /// kills rank <paramref name="victim"/> with SIGKILL once all run, and checks that the launcher
    /// ends non-zero within 15 s, with no rank process and no node segment left.</summary>
    public static void KillARankAndSeeTheJobEnd(string launcher, string[] launcherArguments, int ranks, int victim, IReadOnlyDictionary<string, string> environment)
    {
        var directory = Directory.CreateTempSubdirectory("cosched-kill").FullName;
        try
        {
            using var job = CoschedCli.StartProgram(launcher, [.. launcherArguments, .. TestRank("forever", directory)], environment);
            var pids = WaitForPids(directory, ranks, job);
            var watch = Stopwatch.StartNew();
            Process.GetProcessById(pids[victim]).Kill();
            Assert.True(job.WaitForExit(TimeSpan.FromSeconds(15)), $"{launcher} still runs 15 s after a rank was killed");
            Assert.NotEqual(0, job.ExitCode);
            // srun may return while slurmstepd still reaps the last ranks: all gone 15 s after the kill.
            while (pids.Any(Alive) && watch.Elapsed < TimeSpan.FromSeconds(15)) Thread.Sleep(100);
            Assert.All(pids, pid => Assert.False(Alive(pid), $"rank process {pid} outlived its job by 15 s"));
            Assert.Empty(NodeSegments());
        }
        finally { Directory.Delete(directory, true); }
    }

    /// <summary>Writes the pid of each rank of a `forever` job into <paramref name="directory"/>; waits for <paramref name="ranks"/> of them.</summary>
    private static int[] WaitForPids(string directory, int ranks, Process launcher)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            var files = Directory.GetFiles(directory, "rank*.pid");
            if (files.Length == ranks)
                return Enumerable.Range(0, ranks).Select(r => int.Parse(File.ReadAllText(Path.Combine(directory, $"rank{r}.pid")))).ToArray();
            if (launcher.HasExited) throw new Xunit.Sdk.XunitException($"the job ended before its ranks started: exit {launcher.ExitCode}: {launcher.StandardError.ReadToEnd()}");
            Thread.Sleep(50);
        }
        throw new TimeoutException($"only {Directory.GetFiles(directory, "rank*.pid").Length} of {ranks} ranks started in 60 s");
    }

    private static bool Alive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited && !File.ReadAllText($"/proc/{pid}/stat").Split(' ')[2].StartsWith('Z');
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException)
        {
            return false;
        }
    }
}
