using System.Text.RegularExpressions;
using Cosched.Tests.Shared;

namespace Cosched.Cluster.Tests;

/// <summary>A fact that needs the Slurm test cluster: root (namespaces, daemons), Slurm's daemons,
/// munge and libpmix; skipped with a clear message otherwise.</summary>
public sealed class SlurmFactAttribute : FactAttribute
{
    public SlurmFactAttribute()
    {
        if (SlurmCluster.Missing() is { } missing) Skip = missing;
    }
}

/// <summary>scripts/slurm-cluster's three nodes for the tests of one collection, started once; on
/// disposal the cluster goes down and nothing of it may be left.</summary>
public sealed partial class SlurmCluster : IDisposable
{
    public const int Nodes = 3;
    public static string Script => Path.Combine(CoschedCli.RepositoryRoot, "scripts", "slurm-cluster");

    internal Dictionary<string, string> Environment { get; } = new();

    public static string? Missing()
    {
        if (!File.Exists(Script)) return "scripts/slurm-cluster is missing";
        if (!Launchers.IsRoot) return "needs root (a Slurm cluster of network namespaces); CI runs it as root";
        foreach (var program in new[] { "srun", "slurmctld", "slurmd", "munged", "ip" })
            if (!Launchers.OnPath(program) && !File.Exists($"/usr/sbin/{program}"))
                return $"needs {program} (apt-get install slurm-wlm slurmd slurmctld munge iproute2; CI installs them)";
        if (!File.Exists("/usr/lib/x86_64-linux-gnu/libpmix.so.2") && !File.Exists("/usr/lib/libpmix.so.2"))
            return "needs libpmix (apt-get install libpmix-dev; CI installs it)";
        return null;
    }

    public SlurmCluster()
    {
        if (Missing() != null) return;
        var up = CoschedCli.RunProgram(TimeSpan.FromMinutes(2), Script, ["up", "--nodes", Nodes.ToString()]);
        Assert.True(up.ExitCode == 0, $"scripts/slurm-cluster up failed: {up.Error}");
        foreach (Match m in Assignment().Matches(up.Output)) Environment[m.Groups[1].Value] = m.Groups[2].Value.Trim('\'', '"');
        Assert.True(Environment.ContainsKey("SLURM_CONF"), $"up printed no SLURM_CONF: {up.Output}");
        foreach (var (name, value) in Launchers.OpenMpiAsRoot) Environment[name] = value;
    }

    [GeneratedRegex(@"(?m)^export (\w+)=(.*)$")]
    private static partial Regex Assignment();

    /// <summary>srun on the cluster; --time bounds a step that would hang, as a user's would.</summary>
    internal CoschedCli.Result Srun(params string[] arguments) =>
        CoschedCli.RunProgram(TimeSpan.FromMinutes(2), "srun", ["--time=2", .. arguments], Environment);

    public void Dispose()
    {
        if (Missing() != null) return;
        var down = CoschedCli.RunProgram(TimeSpan.FromMinutes(1), Script, ["down"]);
        Assert.True(down.ExitCode == 0, $"scripts/slurm-cluster down failed: {down.Error}");
        var left = Leftovers();
        Assert.True(left.Count == 0, "the test cluster left: " + string.Join("; ", left));
    }

    /// <summary>What a cluster that is down must not have left: daemons, namespaces, the bridge, its directory, node segments.</summary>
    public static List<string> Leftovers()
    {
        var left = new List<string>();
        left.AddRange(Lines("ip", "netns", "list").Where(l => l.StartsWith("cosched-slurm")));
        left.AddRange(Lines("ip", "-o", "link", "show").Where(l => l.Contains("cosbr-slurm")));
        left.AddRange(Lines("pgrep", "-af", "slurmd|slurmctld|slurmstepd|munged").Where(l => l.Contains("cosched-slurm")));
        left.AddRange(Directory.GetDirectories(Path.GetTempPath(), "cosched-slurm*"));
        left.AddRange(Launchers.NodeSegments());
        return left;
    }

    private static IEnumerable<string> Lines(string program, params string[] arguments)
    {
        var result = CoschedCli.RunProgram(TimeSpan.FromSeconds(20), program, arguments);
        return result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}

[CollectionDefinition(Name)]
public sealed class SlurmCollection : ICollectionFixture<SlurmCluster>, ICollectionFixture<MpiPrograms>
{
    public const string Name = "slurm test cluster";
}
