
namespace Cosched.Messaging.Tests.Collectives;

/// <summary>The names of the collectives and algorithms, forcing one by name or environment variable,
/// and the selection table's choices at its thresholds.</summary>
[Collection(CollectiveCollection.Name)]
public class AlgorithmSelectionTests
{
    [Fact]
    public void EveryCollectiveListsItsAlgorithms()
    {
        Assert.Equal(
            ["barrier", "bcast", "reduce", "allreduce", "gather", "gatherv", "scatter", "scatterv", "allgather", "allgatherv",
             "alltoall", "alltoallv", "reduce-scatter", "reduce-scatter-block", "scan", "exscan"],
            CollectiveAlgorithms.Collectives);
        Assert.Equal(["recursive-doubling", "rabenseifner", "ring", "reduce-bcast", "two-level"], CollectiveAlgorithms.Algorithms("allreduce"));
        Assert.Equal(["dissemination", "recursive-doubling", "tree", "two-level"], CollectiveAlgorithms.Algorithms("barrier"));
        Assert.Equal(["bruck", "linear", "pairwise"], CollectiveAlgorithms.Algorithms("alltoall"));
        foreach (var collective in CollectiveAlgorithms.Collectives)
            Assert.NotEmpty(CollectiveAlgorithms.Algorithms(collective));
        Assert.Equal("COSCHED_ALLREDUCE", CollectiveAlgorithms.EnvironmentVariable("allreduce"));
        Assert.Equal("COSCHED_REDUCE_SCATTER_BLOCK", CollectiveAlgorithms.EnvironmentVariable("reduce-scatter-block"));
    }

    [Fact]
    public void OverridesAcceptNamesLooselyAndResetToAuto()
    {
        try
        {
            CollectiveAlgorithms.Override("Allreduce", "RING");
            Assert.Equal("ring", CollectiveAlgorithms.Current("allreduce"));
            CollectiveAlgorithms.Override("reduce_scatter", "recursive_halving");
            Assert.Equal("recursive-halving", CollectiveAlgorithms.Current("reduce-scatter"));
            CollectiveAlgorithms.Override("barrier = tree");
            Assert.Equal("tree", CollectiveAlgorithms.Current("barrier"));
            Assert.Equal(BarrierAlgorithm.Tree, Selection.Barrier(4));
            CollectiveAlgorithms.Override("allreduce", "auto");
            Assert.Equal("auto", CollectiveAlgorithms.Current("allreduce"));
        }
        finally
        {
            CollectiveAlgorithms.Reset();
        }
        Assert.Equal("auto", CollectiveAlgorithms.Current("barrier"));
    }

    [Fact]
    public void UnknownNamesListTheValidOnes()
    {
        var algorithm = Assert.Throws<ArgumentException>(() => CollectiveAlgorithms.Override("allreduce", "butterfly"));
        Assert.Contains("butterfly", algorithm.Message);
        Assert.Contains("recursive-doubling, rabenseifner, ring", algorithm.Message);
        var collective = Assert.Throws<ArgumentException>(() => CollectiveAlgorithms.Override("allsum", "ring"));
        Assert.Contains("allreduce", collective.Message);
        Assert.Throws<ArgumentException>(() => CollectiveAlgorithms.Override("allreduce"));
        Assert.Throws<ArgumentException>(() => CollectiveAlgorithms.Algorithms("nope"));
    }

    [Fact]
    public void EnvironmentVariablesForceAlgorithmsAndBadOnesFailClearly()
    {
        var environment = new Dictionary<string, string>
        {
            ["COSCHED_ALLREDUCE"] = "ring",
            ["COSCHED_BCAST"] = "scatter_allgather",
            ["COSCHED_ALLTOALL"] = "wormhole",
        };
        try
        {
            CollectiveAlgorithms.ReadEnvironment(name => environment.GetValueOrDefault(name));
            Assert.Equal("ring", CollectiveAlgorithms.Current("allreduce"));
            Assert.Equal(BcastAlgorithm.ScatterAllgather, Selection.Bcast(8, 8));
            var error = Assert.Throws<ArgumentException>(() => Selection.Alltoall(4, 8));
            Assert.Contains("COSCHED_ALLTOALL=wormhole", error.Message);
            Assert.Contains("bruck, linear, pairwise", error.Message);
            Assert.Throws<ArgumentException>(CollectiveAlgorithms.ValidateEnvironment);
            // A programmatic override wins over the environment; Reset goes back to the environment.
            CollectiveAlgorithms.Override("allreduce", "rabenseifner");
            Assert.Equal("rabenseifner", CollectiveAlgorithms.Current("allreduce"));
            CollectiveAlgorithms.Reset();
            Assert.Equal("ring", CollectiveAlgorithms.Current("allreduce"));
        }
        finally
        {
            CollectiveAlgorithms.ReadEnvironment(Environment.GetEnvironmentVariable);
        }
    }

    [Fact]
    public void TheTablePicksLatencyAlgorithmsForShortMessagesAndBandwidthOnesForLong()
    {
        Assert.Equal(AllreduceAlgorithm.RecursiveDoubling, Selection.Allreduce(2, 8, 1, commutative: true));
        Assert.Equal(AllreduceAlgorithm.RecursiveDoubling, Selection.Allreduce(8, 2048, 512, commutative: true));
        Assert.Equal(AllreduceAlgorithm.Rabenseifner, Selection.Allreduce(8, 1 << 20, 1 << 18, commutative: true));
        Assert.Equal(AllreduceAlgorithm.Ring, Selection.Allreduce(6, 1 << 20, 1 << 18, commutative: true));
        Assert.Equal(BarrierAlgorithm.Dissemination, Selection.Barrier(8));
        Assert.Equal(BarrierAlgorithm.Dissemination, Selection.Barrier(6));
        Assert.Equal(BcastAlgorithm.Binomial, Selection.Bcast(8, 1024));
        Assert.Equal(BcastAlgorithm.ScatterAllgather, Selection.Bcast(4, 1 << 20));
        Assert.Equal(BcastAlgorithm.Pipeline, Selection.Bcast(16, 1 << 20));
        Assert.Equal(ReduceAlgorithm.Binomial, Selection.Reduce(8, 1024, 256));
        Assert.Equal(ReduceAlgorithm.ReduceScatterGather, Selection.Reduce(8, 1 << 20, 1 << 18));
        Assert.Equal(AllgatherAlgorithm.RecursiveDoubling, Selection.Allgather(8, 1024));
        Assert.Equal(AllgatherAlgorithm.Bruck, Selection.Allgather(6, 1024));
        Assert.Equal(AllgatherAlgorithm.Ring, Selection.Allgather(6, 1 << 20));
        Assert.Equal(AlltoallAlgorithm.Pairwise, Selection.Alltoall(2, 8));
        Assert.Equal(AlltoallAlgorithm.Bruck, Selection.Alltoall(16, 8));
        Assert.Equal(AlltoallAlgorithm.Linear, Selection.Alltoall(8, 1024));
        Assert.Equal(AlltoallAlgorithm.Pairwise, Selection.Alltoall(8, 1 << 20));
        Assert.Equal(ReduceScatterAlgorithm.RecursiveHalving, Selection.ReduceScatter(Collective.ReduceScatter, 1024, commutative: true));
        Assert.Equal(ReduceScatterAlgorithm.Pairwise, Selection.ReduceScatter(Collective.ReduceScatter, 1 << 20, commutative: true));
        Assert.Equal(ScanAlgorithm.Linear, Selection.Scan(Collective.Scan, 2));
        Assert.Equal(ScanAlgorithm.RecursiveDoubling, Selection.Scan(Collective.Exscan, 5));
    }

    [Fact]
    public void OperatorsThatAreNotCommutativeNeverGetAnAlgorithmThatReorders()
    {
        Assert.Equal(ReduceScatterAlgorithm.ReduceThenScatter, Selection.ReduceScatter(Collective.ReduceScatter, 1024, commutative: false));
        // Rabenseifner combines aligned groups of ranks in order, so it serves them; the ring does not.
        Assert.Equal(AllreduceAlgorithm.Rabenseifner, Selection.Allreduce(6, 1 << 20, 1 << 18, commutative: false));
        try
        {
            CollectiveAlgorithms.Override("allreduce", "ring");
            CollectiveAlgorithms.Override("reduce-scatter-block", "pairwise");
            Assert.Equal(AllreduceAlgorithm.Ring, Selection.Allreduce(4, 8, 2, commutative: true));
            Assert.Equal(AllreduceAlgorithm.RecursiveDoubling, Selection.Allreduce(4, 8, 2, commutative: false));
            Assert.Equal(ReduceScatterAlgorithm.ReduceThenScatter, Selection.ReduceScatter(Collective.ReduceScatterBlock, 8, commutative: false));
            Assert.Equal(ReduceScatterAlgorithm.RecursiveHalving, Selection.ReduceScatter(Collective.ReduceScatter, 8, commutative: true));
        }
        finally
        {
            CollectiveAlgorithms.Reset();
        }
    }
}
