using Cosched.Study.Plan;

namespace Cosched.Study.Tests;

/// <summary>The plan of `--npb DIR`: which files are NPB binaries, NPB's rules on rank counts, the class
/// from the name, the multi-zone mixes of the host's cores; and IMB on Cosched beside Cosched's own benchmarks.</summary>
public class NpbPlanTests : IDisposable
{
    private readonly TempDirectory directory = new();

    public void Dispose() => directory.Dispose();

    /// <summary>Empty files with these names (the plan reads names only).</summary>
    private List<NpbBinary> Binaries(params string[] names)
    {
        foreach (var name in names) File.WriteAllText(Path.Combine(directory.Path, name), "");
        return NpbBinary.In(directory.Path);
    }

    private static StudyOptions Options(IReadOnlyList<NpbBinary> binaries, int ranks = 2, int cores = 2, int[]? vms = null, string[]? pins = null) => new()
    {
        OutDir = "unused", Ranks = ranks, VmCounts = vms ?? [0, 1, 2], Pins = pins ?? ["compact"], Channels = ["per-vm", "locality"],
        Workloads = [.. binaries.Select(b => b.Workload).Distinct()], CollectiveScales = [], PingPongMsgLog = "0:3", Seconds = 0.01,
        NpbBinaries = binaries, Cores = cores,
    };

    [Fact]
    public void TheDirectorysNpbBinariesAreFoundByNameInThePapersOrder()
    {
        var binaries = Binaries("cg.S.x", "bt-mz.S.x", "is.A.x", "bt.W.x", "bt.S.x", "README", "cg.S.x.log", "hpl.A.x", "dt.S.x", "ft.Z.x");
        Assert.Equal(["bt S", "bt W", "cg S", "is A", "bt-mz S"], binaries.Select(b => $"{b.Kernel} {b.Class}"));
        Assert.Equal(["npb:bt", "npb:bt", "npb:cg", "npb:is", "npb:bt-mz"], binaries.Select(b => b.Workload));
        Assert.Equal([false, false, false, false, true], binaries.Select(b => b.IsMultiZone));
        Assert.All(binaries, b => Assert.Equal(Path.Combine(directory.Path, $"{b.Kernel}.{b.Class}.x"), b.Path));
        Assert.Equal(Experiment.Applications, StudyWorkloads.ExperimentOf("npb:cg"));
        Assert.Equal(Experiment.MultiZone, StudyWorkloads.ExperimentOf("npb:sp-mz"));
        Assert.Throws<ArgumentException>(() => StudyWorkloads.ExperimentOf("npb:hpl"));
    }

    [Theory]
    [InlineData("bt", 2, 1)]
    [InlineData("bt", 4, 4)]
    [InlineData("sp", 8, 4)]
    [InlineData("sp", 9, 9)]
    [InlineData("cg", 6, 4)]
    [InlineData("ft", 2, 2)]
    [InlineData("lu", 3, 2)]
    [InlineData("mg", 16, 16)]
    [InlineData("is", 1, 1)]
    [InlineData("ep", 3, 3)]
    public void RankCountsFollowNpbsRules(string kernel, int wanted, int ranks) => Assert.Equal(ranks, NpbRules.Ranks(kernel, wanted));

    [Fact]
    public void SingleZoneKernelsGetTheApplicationsPlacementsOnTheirAllowedRanks()
    {
        var plan = StudyPlan.Build(Options(Binaries("cg.S.x", "bt.S.x"), pins: ["compact", "scatter"]));
        var cg = plan.Where(c => c.Workload == "npb:cg").ToList();
        Assert.Equal(["native shm", "1 VM", "2 VMs per-vm", "2 VMs locality"], cg.Select(c => c.Scenario));
        Assert.All(cg, c => Assert.Equal((Experiment.Applications, Configuration.Cosched, 2, "S", 1), (c.Experiment, c.Mpi, c.Ranks, c.MsgLog, c.Threads)));
        // BT on 2 ranks is not square: it runs on 1, natively and in 1 VM (no VM without a rank).
        var bt = plan.Where(c => c.Workload == "npb:bt").ToList();
        Assert.Equal(["native shm", "1 VM"], bt.Select(c => c.Scenario));
        Assert.All(bt, c => Assert.Equal(1, c.Ranks));
        Assert.Equal("applications/cosched/npb:cg/n2/vms2/compact/per-vm/S", cg[2].Key);
        // The same placements as Cosched's own kernels: npb:cg beside cg.
        var own = StudyPlan.Build(Options([], pins: ["compact", "scatter"]) with { Workloads = ["cg"], NasClass = "S" });
        Assert.Equal(own.Select(c => (c.Vms, c.Pin, c.Channels)), cg.Select(c => (c.Vms, c.Pin, c.Channels)));
    }

    [Fact]
    public void MultiZoneBenchmarksRunEveryMixOfTheCoresNativelyAndInVmsThatDivideTheProcesses()
    {
        var plan = StudyPlan.Build(Options(Binaries("bt-mz.S.x")));
        Assert.All(plan, c => Assert.Equal((Experiment.MultiZone, "npb:bt-mz", "S", "compact"), (c.Experiment, c.Workload, c.MsgLog, c.Pin)));
        Assert.Equal(["1x2 native shm", "1x2 1 VM", "2x1 native shm", "2x1 1 VM", "2x1 2 VMs per-vm", "2x1 2 VMs locality"], plan.Select(c => $"{c.Mix} {c.Scenario}"));
        Assert.Equal("multi-zone/cosched/npb:bt-mz/n1/vms0/compact/locality/S/t2", plan[0].Key);
        Assert.Equal("multi-zone/cosched/npb:bt-mz/n2/vms2/compact/per-vm/S", plan[4].Key);
    }

    [Fact]
    public void Npb33BinariesBuiltForAProcessCountRunOnlyOnIt()
    {
        // NPB 3.3's make names the process count: bt-mz.W.2 runs on 2 processes, never on 1.
        var binaries = Binaries("bt-mz.W.2", "bt-mz.W.1", "cg.S.4", "cg.S.0", "cg.S.02");
        Assert.Equal(["cg.S.4", "bt-mz.W.1", "bt-mz.W.2"], binaries.Select(b => b.FileName));
        Assert.Equal([4, 1, 2], binaries.Select(b => b.Processes ?? 0));
        var plan = StudyPlan.Build(Options(binaries));
        Assert.Equal(["1x2 native shm", "1x2 1 VM", "2x1 native shm", "2x1 1 VM", "2x1 2 VMs per-vm", "2x1 2 VMs locality"],
            plan.Where(c => c.Workload == "npb:bt-mz").Select(c => $"{c.Mix} {c.Scenario}"));
        // A single-zone binary runs on the ranks it was built for, whatever the study's --ranks.
        Assert.All(plan.Where(c => c.Workload == "npb:cg"), c => Assert.Equal(4, c.Ranks));
        var workload = new Cosched.Study.Running.Workloads.NpbBinaryWorkload(["cosched"], binaries);
        Assert.All(plan.Where(c => c.Workload == "npb:bt-mz"), c => Assert.EndsWith($"bt-mz.W.{c.Ranks}", workload.PathOf(c)));
        // Only one of the two mixes where just one binary is there.
        var one = StudyPlan.Build(Options([.. binaries.Where(b => b.FileName == "bt-mz.W.2")]));
        Assert.All(one, c => Assert.Equal(2, c.Ranks));
    }

    [Fact]
    public void MixesFillTheCoresWithNoMoreProcessesThanZones()
    {
        Assert.Equal([(1, 2), (2, 1)], NpbRules.Mixes("bt-mz", "S", 2));
        Assert.Equal([(1, 1)], NpbRules.Mixes("sp-mz", "A", 1));
        Assert.Equal([(1, 6), (2, 3), (3, 2), (6, 1)], NpbRules.Mixes("sp-mz", "A", 6));
        // Class S has 2x2 zones: 8 processes would leave some without one.
        Assert.Equal([(1, 8), (2, 4), (4, 2)], NpbRules.Mixes("bt-mz", "S", 8));
        Assert.Equal(16, NpbRules.Mixes("lu-mz", "C", 32).Max(m => m.Processes));
    }

    [Fact]
    public void ImbOnCoschedRunsWhereCoschedsOwnBenchmarksRunBesideOpenMpi()
    {
        var options = Options([]) with
        {
            Workloads = ["pingpong", "barrier"], CollectiveScales = [new CollectiveScale(2, [0, 2], ["barrier"], "0:3")],
            CoschedImbPath = "/x/IMB-MPI1-cosched", Peer = Configuration.OpenMpi, ImbPath = "/x/IMB-MPI1",
        };
        var plan = StudyPlan.Build(options);
        Assert.Equal(["cosched native shm", "cosched-imb native shm", "openmpi native shm", "cosched 2 VMs per-vm", "cosched 2 VMs locality",
            "cosched-imb 2 VMs per-vm", "cosched-imb 2 VMs locality", "openmpi 2 VMs per-vm"], plan.Where(c => c.Workload == "barrier").Select(c => $"{c.Mpi} {c.Scenario}"));
        Assert.Equal(["native shm", "native tcp", "2 VMs per-vm", "2 VMs locality"], plan.Where(c => c.Workload == "pingpong" && c.Mpi == Configuration.CoschedImb).Select(c => c.Scenario));
        Assert.Equal("IMB on Cosched barrier 2 VMs locality, 2 ranks", plan.Single(c => c.Mpi == Configuration.CoschedImb && c.Workload == "barrier" && c.Vms == 2 && c.Channels == "locality").Label);
    }
}
