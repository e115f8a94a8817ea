using Cosched.Domains;
using Cosched.Study.Store;
using Cosched.Tests.Shared;

namespace Cosched.Study.Tests;

/// <summary>A fact that needs `cosched mpicc` (clang and lld build libmpi.so); skipped, saying so, where they are absent.</summary>
public sealed class MpiccFactAttribute : FactAttribute
{
    public static bool Available => HostSupport.FindTool("clang") != null && HostSupport.FindTool("ld.lld") != null;

    public MpiccFactAttribute()
    {
        if (!Available) Skip = "needs clang and lld for `cosched mpicc` (apt-get install clang lld)";
    }
}

/// <summary>A very short study of NPB binaries end to end through `./cosched study --npb DIR`: a stand-in
/// program (NpbStandIn/npb-stand-in.c, built with `cosched mpicc`) named is.S.x, cg.S.x (which never
/// verifies) and bt-mz.S.x, on 2 ranks natively and in 1 and 2 VMs, two rounds. Shared by the tests
/// that check its database and report.</summary>
public sealed class NpbStudy : IDisposable
{
    private readonly TempDirectory directory = new();
    public string Npb => Path.Combine(directory.Path, "bin");
    public string Out => Path.Combine(directory.Path, "study");
    /// <summary>The stand-in, linked against Cosched's libmpi.so.</summary>
    public string StandIn => Path.Combine(directory.Path, "npb-stand-in");
    internal CoschedCli.Result? Study { get; }
    public IReadOnlyList<StoredRun> Runs { get; } = [];

    public NpbStudy()
    {
        if (!MpiccFactAttribute.Available) return;
        var source = Path.Combine(CoschedCli.RepositoryRoot, "tests", "Cosched.Study.Tests", "NpbStandIn", "npb-stand-in.c");
        var build = CoschedCli.Run(TimeSpan.FromMinutes(5), "mpicc", "-O2", "-Wall", "-o", StandIn, source);
        if (build.ExitCode != 0) throw new InvalidOperationException($"cosched mpicc {source} failed: {build.Error}");
        Directory.CreateDirectory(Npb);
        foreach (var name in new[] { "is.S.x", "cg.S.x", "bt-mz.S.x" }) File.Copy(StandIn, Path.Combine(Npb, name));
        Study = CoschedCli.Run(TimeSpan.FromMinutes(4), "study", "-n", "2", "--vms", "0,1,2", "--rounds", "2", "--npb", Npb, "--workloads", "npb", "--out", Out);
        using var store = ResultsStore.OpenExisting(Out);
        Runs = store?.Runs() ?? [];
    }

    public void Dispose() => directory.Dispose();
}
