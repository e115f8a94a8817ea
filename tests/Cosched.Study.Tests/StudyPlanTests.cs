using Cosched.Study.Plan;

namespace Cosched.Study.Tests;

/// <summary>The experiment matrix: the paper's scenarios, nothing measured twice under two names.</summary>
public class StudyPlanTests
{
    private static StudyOptions Options(int ranks, int[] vms, string[] pins, string[] workloads, string? imb = null) => new()
    {
        OutDir = "unused", Ranks = ranks, VmCounts = vms, Pins = pins, Channels = ["per-vm", "locality"], Workloads = workloads,
        CollectiveMsgLog = "0:3", PingPongMsgLog = "0:5", Seconds = 0.01, NasClass = "S",
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
    public void TheBlastSearchIsAnApplicationSizedByItsQueries()
    {
        var plan = StudyPlan.Build(Options(2, [0, 1, 2], ["compact"], ["blast", "ep"]) with { BlastQueries = 12 });
        var blast = plan.Where(c => c.Workload == StudyWorkloads.Blast).ToList();
        Assert.Equal(["native shm", "1 VM", "2 VMs per-vm", "2 VMs locality"], blast.Select(c => c.Scenario));
        Assert.All(blast, c => Assert.Equal((Experiment.Applications, "12"), (c.Experiment, c.MsgLog)));
        Assert.All(plan.Where(c => c.Workload == "ep"), c => Assert.Equal("S", c.MsgLog));
        Assert.Equal(48, StudyOptions.DefaultBlastQueries(quick: true));
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
    }
}
