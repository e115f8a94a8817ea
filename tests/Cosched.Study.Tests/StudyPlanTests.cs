using Cosched.Study.Plan;

namespace Cosched.Study.Tests;

/// <summary>The experiment matrix: the paper's scenarios, nothing measured twice under two names.</summary>
public class StudyPlanTests
{
    private static StudyOptions Options(int ranks, int[] vms, string[] pins, string[] workloads, string? imb = null) => new()
    {
        OutDir = "unused", Ranks = ranks, VmCounts = vms, Pins = pins, Channels = ["per-vm", "locality"], Workloads = workloads,
        CollectiveScales = [new CollectiveScale(ranks, vms, StudyWorkloads.Collectives, "0:3")],
        PingPongMsgLog = "0:5", Seconds = 0.01, NasClass = "S",
        Peer = imb == null ? null : Configuration.OpenMpi, ImbPath = imb,
    };

    [Fact]
    public void PointToPointIsThePapersFigureOne()
    {
        var plan = StudyPlan.Build(Options(8, [0, 1, 2, 4], ["compact"], ["pingpong"]));
        Assert.Equal(["native shm", "native tcp", "2 VMs per-vm", "2 VMs locality"], plan.Select(c => c.Scenario));
        Assert.All(plan, c => Assert.Equal(2, c.Ranks));
        Assert.All(plan, c => Assert.Equal("0:5", c.MsgLog));
    }

    [Fact]
    public void CollectivesCoverEveryVmCountPolicyAndPlacementOnce()
    {
        var plan = StudyPlan.Build(Options(4, [0, 1, 2, 4], ["compact", "scatter"], ["alltoall"]));
        // native once; one VM once (both policies give shared memory inside it); 1 VM and 4 VMs (one
        // rank each) place ranks alike under both pins, so scatter is left out there.
        Assert.Equal(["native shm", "1 VM", "2 VMs per-vm", "2 VMs locality",
            "2 VMs per-vm scatter", "2 VMs locality scatter", "4 VMs per-vm", "4 VMs locality"], plan.Select(c => c.Scenario));
        Assert.Equal(plan.Count, plan.Select(c => c.Key).Distinct().Count());
    }

    [Fact]
    public void EachCollectiveRunsAtTheRankCountsOfItsScales()
    {
        var options = Options(2, [1, 2], ["compact"], ["barrier", "bcast"]) with
        {
            CollectiveScales = StudyOptions.DefaultScales(quick: true, ranks: 2, chosenRanks: null, vmCounts: null, "0:12", "0:3"),
        };
        var plan = StudyPlan.Build(options);
        Assert.Equal(["bcast n2 0:12 vms 0,1,2", "barrier n2 0:12 vms 0,1,2", "barrier n8 0:3 vms 0,1,2,4,8"],
            plan.GroupBy(c => (c.Workload, c.Ranks, c.MsgLog)).OrderBy(g => g.Key.Ranks).ThenByDescending(g => g.Key.Workload)
                .Select(g => $"{g.Key.Workload} n{g.Key.Ranks} {g.Key.MsgLog} vms {string.Join(",", g.Select(c => c.Vms).Distinct())}"));
        // 8 VMs of one rank each: both policies, and no scatter copy.
        Assert.Equal(["per-vm", "locality"], plan.Where(c => c.Ranks == 8 && c.Vms == 8).Select(c => c.Channels));
    }

    [Fact]
    public void TheFullStudyRunsThePapersSixteenRanksAndRanksNarrowIt()
    {
        var full = StudyOptions.DefaultScales(quick: false, ranks: 2, chosenRanks: null, vmCounts: null, "0:22");
        Assert.Equal(16, full.Single().Ranks);
        Assert.Equal([0, 1, 2, 4, 8, 16], full.Single().VmCounts);
        Assert.Equal(StudyWorkloads.Collectives, full.Single().Collectives);
        var narrowed = StudyOptions.DefaultScales(quick: true, ranks: 2, chosenRanks: 4, vmCounts: [0, 2], "0:3");
        Assert.Equal(4, narrowed.Single().Ranks);
        Assert.Equal([0, 2], narrowed.Single().VmCounts);
    }

    [Fact]
    public void ExperimentsComeInThePapersOrderWithThePeerBesideCosched()
    {
        var plan = StudyPlan.Build(Options(2, [0, 2], ["compact"], ["ep", "barrier", "pingpong"], imb: "/x/IMB-MPI1"));
        Assert.Equal([Experiment.PointToPoint, Experiment.Collectives, Experiment.Applications],
            plan.Select(c => c.Experiment).Distinct());
        var barrier = plan.Where(c => c.Workload == "barrier").Select(c => $"{c.Mpi} {c.Scenario}");
        Assert.Equal(["cosched native shm", "openmpi native shm", "cosched 2 VMs per-vm", "cosched 2 VMs locality", "openmpi 2 VMs per-vm"], barrier);
        Assert.DoesNotContain(plan, c => c.Experiment == Experiment.Applications && c.Mpi == Configuration.OpenMpi);
        Assert.All(plan.Where(c => c.Workload == "ep"), c => Assert.Equal("S", c.MsgLog));
    }

    [Fact]
    public void CalibratedClassesSizeTheNasKernelsAndQueriesTheBlastSearch()
    {
        var options = Options(2, [1, 2], ["compact"], ["blast", "ep", "is"]) with { BlastQueries = 12, NasClass = null };
        var plan = StudyPlan.Build(options, new Dictionary<string, string> { ["ep"] = "A", ["is"] = "B" });
        var blast = plan.Where(c => c.Workload == StudyWorkloads.Blast).ToList();
        Assert.Equal(["1 VM", "2 VMs per-vm", "2 VMs locality"], blast.Select(c => c.Scenario));
        Assert.All(blast, c => Assert.Equal((Experiment.Applications, "12"), (c.Experiment, c.MsgLog)));
        Assert.All(plan.Where(c => c.Workload == "ep"), c => Assert.Equal("A", c.MsgLog));
        Assert.All(plan.Where(c => c.Workload == "is"), c => Assert.Equal("B", c.MsgLog));
        Assert.Throws<ArgumentException>(() => StudyPlan.Build(options with { Workloads = ["cg"] }, new Dictionary<string, string>()));
    }

    [Fact]
    public void DefaultsScaleToTheHost()
    {
        Assert.Equal(2, StudyOptions.DefaultRanks(quick: false, cores: 1));
        Assert.Equal(16, StudyOptions.DefaultRanks(quick: false, cores: 16));
        Assert.Equal(4, StudyOptions.DefaultRanks(quick: true, cores: 16));
        Assert.Equal([0, 1, 2, 4, 8, 16], StudyOptions.DefaultVmCounts(quick: false, ranks: 16));
        Assert.Equal([0, 1, 2, 4], StudyOptions.DefaultVmCounts(quick: false, ranks: 6));
        Assert.Equal([0, 1, 2], StudyOptions.DefaultVmCounts(quick: true, ranks: 16));
        Assert.Equal((3, 5), (StudyOptions.DefaultRounds(quick: true), StudyOptions.DefaultRounds(quick: false)));
    }

    [Fact]
    public void TheShortMicroBenchmarksRunMoreRounds()
    {
        var options = Options(2, [1, 2], ["compact"], ["pingpong", "barrier", "ep"]) with
        {
            CollectiveScales = StudyOptions.DefaultScales(quick: true, ranks: 2, chosenRanks: null, vmCounts: null, "0:12", "0:3"),
            Rounds = 3, ShortRounds = 5,
        };
        var rounds = StudyPlan.Build(options).GroupBy(c => (c.Experiment, c.Ranks)).ToDictionary(g => g.Key, g => g.Select(options.RoundsOf).Distinct().Single());
        Assert.Equal(5, rounds[(Experiment.PointToPoint, 2)]);
        Assert.Equal(5, rounds[(Experiment.Collectives, 2)]);
        Assert.Equal(3, rounds[(Experiment.Collectives, 8)]);
        Assert.Equal(3, rounds[(Experiment.Applications, 2)]);
    }

    [Fact]
    public void MigrationMovesTwoVmsUnderEachPolicyInTheDefaultStudyQuickOrFull()
    {
        Assert.Contains(StudyWorkloads.Migration, StudyWorkloads.All);
        foreach (bool quick in new[] { true, false })
        {
            var options = Options(2, [0, 1, 2], ["compact"], StudyWorkloads.All) with
            {
                CollectiveScales = StudyOptions.DefaultScales(quick, ranks: 2, chosenRanks: null, vmCounts: null, "0:3"),
                Rounds = StudyOptions.DefaultRounds(quick), ShortRounds = StudyOptions.DefaultShortRounds,
            };
            var plan = StudyPlan.Build(options);
            var migration = plan.Where(c => c.Experiment == Experiment.Migration).ToList();
            Assert.Equal(["per-vm", "locality"], migration.Select(c => c.Channels));
            Assert.All(migration, c => Assert.Equal((StudyWorkloads.Migration, 2, 2, "8", 3.0), (c.Workload, c.Ranks, c.Vms, c.MsgLog, c.Seconds)));
            // Last, after the paper's experiments; as many runs as the applications (3 in --quick).
            Assert.Equal(migration, plan.TakeLast(2));
            Assert.All(migration, c => Assert.Equal(quick ? 3 : 5, options.RoundsOf(c)));
        }
        Assert.Equal(["2 VMs moved between 2 hosts, locality"],
            StudyPlan.Build(Options(2, [0, 2], ["compact"], ["migration"]) with { Channels = ["locality"] }).Select(c => c.Scenario));
    }
}
