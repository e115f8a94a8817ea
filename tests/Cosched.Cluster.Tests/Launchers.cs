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

    public static Process Start(string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = CoschedCli.RepositoryRoot,
        };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) info.Environment[name] = value;
        return Process.Start(info)!;
    }

    public static CoschedCli.Result Run(TimeSpan timeout, string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var watch = Stopwatch.StartNew();
        var list = arguments.ToList();
        using var process = Start(program, list, environment);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', list)} did not finish in {timeout.TotalSeconds:0} s");
        }
        process.WaitForExit();
        return new CoschedCli.Result(process.ExitCode, output.Result, error.Result, watch.Elapsed);
    }

    /// <summary>What a Cosched job may leave on a node's /dev/shm if it went wrong: the PMIx node segments.</summary>
    public static string[] NodeSegments() => Directory.GetFiles("/dev/shm", "cosched-pmix-*");

    /// <summary>Writes the pid of each rank of a `forever` job into <paramref name="directory"/>; waits for <paramref name="ranks"/> of them.</summary>
    public static int[] WaitForPids(string directory, int ranks, Process launcher)
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

    public static bool Alive(int pid)
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
