
namespace Cosched.Messaging.Tests.Collectives;

/// <summary>Collectives over tcp, back to back on one communicator and on split communicators, where
/// a mismatch between consecutive collectives or contexts would show.</summary>
[Collection(CollectiveCollection.Name)]
public class NetworkAndMixedTests
{
    /// <summary>One of everything, with sizes on both sides of the eager limit; returns nothing, throws on a wrong result.</summary>
    private static void EveryCollectiveOnce(Communicator world, int count, int seed)
    {
        int p = world.Size, me = world.Rank;
        var inputs = Kit.PerRank(p, r => Kit.Ints(r, count, seed));
        var sum = Kit.Fold(inputs, 0, p, (a, b) => a + b);
        string label = $"{count} ints on {p} ranks, rank {me}";

        world.Barrier();
        var buffer = me == 1 % p ? (int[])inputs[1 % p].Clone() : new int[count];
        world.Bcast<int>(buffer, 1 % p);
        Kit.Equal<int>(inputs[1 % p], buffer, $"bcast {label}");

        var result = new int[count];
        world.Allreduce<int>(inputs[me], result, ReduceOp<int>.Sum);
        Kit.Equal<int>(sum, result, $"allreduce {label}");

        world.Reduce<int>(inputs[me], me == p - 1 ? result : [], ReduceOp<int>.Sum, p - 1);
        if (me == p - 1) Kit.Equal<int>(sum, result, $"reduce {label}");

        var all = new int[count * p];
        world.Allgather<int>(inputs[me], all);
        Kit.Equal<int>(inputs.SelectMany(x => x).ToArray(), all, $"allgather {label}");

        var transposed = new int[count * p];
        var outgoing = new int[count * p];
        for (int j = 0; j < p; j++) Array.Fill(outgoing, me * 100 + j, j * count, count);
        world.Alltoall<int>(outgoing, transposed);
        for (int i = 0; i < p; i++)
            Kit.Untouched<int>(transposed.AsSpan(i * count, count), i * 100 + me, $"alltoall {label}");

        world.Gather<int>(inputs[me], me == 0 ? all : [], 0);
        if (me == 0) Kit.Equal<int>(inputs.SelectMany(x => x).ToArray(), all, $"gather {label}");
        world.Scatter<int>(me == 0 ? all : [], result, 0);
        Kit.Equal<int>(inputs[me], result, $"scatter {label}");

        world.Scan<int>(inputs[me], result, ReduceOp<int>.Sum);
        Kit.Equal<int>(Kit.Fold(inputs, 0, me + 1, (a, b) => a + b), result, $"scan {label}");
        world.ReduceScatterBlock<int>(Enumerable.Repeat(inputs[me], p).SelectMany(x => x).ToArray(), result, ReduceOp<int>.Sum);
        Kit.Equal<int>(sum, result, $"reduce-scatter-block {label}");
        Assert.Equal(p * (p + 1) / 2, world.Allreduce(me + 1, ReduceOp<int>.Sum));

        // The v-variants with uniform blocks, and the rest of the reductions.
        var uniform = Enumerable.Repeat(count, p).ToArray();
        var packed = Enumerable.Range(0, p).Select(r => r * count).ToArray();
        world.Gatherv<int>(inputs[me], me == 0 ? all : [], uniform, packed, 0);
        if (me == 0) Kit.Equal<int>(inputs.SelectMany(x => x).ToArray(), all, $"gatherv {label}");
        world.Scatterv<int>(me == 0 ? all : [], uniform, packed, result, 0);
        Kit.Equal<int>(inputs[me], result, $"scatterv {label}");
        Array.Clear(all);
        world.Allgatherv<int>(inputs[me], all, uniform, packed);
        Kit.Equal<int>(inputs.SelectMany(x => x).ToArray(), all, $"allgatherv {label}");
        world.Alltoallv<int>(outgoing, uniform, packed, transposed, uniform, packed);
        for (int i = 0; i < p; i++)
            Kit.Untouched<int>(transposed.AsSpan(i * count, count), i * 100 + me, $"alltoallv {label}");
        var repeated = Enumerable.Repeat(inputs[me], p).SelectMany(x => x).ToArray();
        world.ReduceScatter<int>(repeated, result, uniform, ReduceOp<int>.Sum);
        Kit.Equal<int>(sum, result, $"reduce-scatter {label}");
        Array.Fill(result, 42);
        world.Exscan<int>(inputs[me], result, ReduceOp<int>.Sum);
        if (me == 0) Kit.Untouched<int>(result, 42, $"exscan {label}");
        else Kit.Equal<int>(Kit.Fold(inputs, 0, me, (a, b) => a + b), result, $"exscan {label}");
    }

    /// <summary>Every rank must see the same choice, so rank 0 switches while all others wait for it,
    /// synchronised by point-to-point messages (a Barrier could be the collective being switched).</summary>
    private static void Switch(Communicator world, string collective, string algorithm)
    {
        const int tag = 999;
        if (world.Rank == 0)
        {
            for (int r = 1; r < world.Size; r++) world.Recv<byte>(r, tag);
            CollectiveAlgorithms.Override(collective, algorithm);
            for (int r = 1; r < world.Size; r++) world.Send<byte>(0, r, tag);
        }
        else
        {
            world.Send<byte>(0, 0, tag);
            world.Recv<byte>(0, tag);
        }
    }

    /// <summary>Rank counts beyond the per-algorithm tests (the paper's 16, and an odd 13): every
    /// algorithm of every collective, switched between barriers inside one job.</summary>
    [Theory]
    [InlineData(13)]
    [InlineData(16)]
    public void EveryAlgorithmWorksOnMoreRanks(int ranks)
    {
        try
        {
            InProcessJob.Run(ranks, world =>
            {
                int round = 0;
                foreach (var collective in CollectiveAlgorithms.Collectives)
                {
                    foreach (var algorithm in CollectiveAlgorithms.Algorithms(collective))
                    {
                        Switch(world, collective, algorithm);
                        foreach (int count in new[] { 1, 2000 })
                        {
                            try
                            {
                                EveryCollectiveOnce(world, count, ++round);
                            }
                            catch (Exception e) when (e is not JobAbortedException)
                            {
                                throw new Xunit.Sdk.XunitException($"{collective}={algorithm}: {e.Message}");
                            }
                        }
                        Switch(world, collective, CollectiveAlgorithms.Auto);
                    }
                }
            }, ChannelPolicy.Locality, TimeSpan.FromSeconds(120));
        }
        finally
        {
            CollectiveAlgorithms.Reset();
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    public void EveryCollectiveWorksOverTcp(int ranks) =>
        InProcessJob.Run(ranks, world =>
        {
            foreach (int count in new[] { 0, 1, 100, 5000, 70_000 }) EveryCollectiveOnce(world, count, count);
        }, ChannelPolicy.Network, TimeSpan.FromSeconds(90));

    [Theory]
    [InlineData("allreduce", "ring")]
    [InlineData("allreduce", "rabenseifner")]
    [InlineData("alltoall", "bruck")]
    [InlineData("bcast", "pipeline")]
    [InlineData("reduce-scatter", "recursive-halving")]
    public void ForcedAlgorithmsWorkOverTcp(string collective, string algorithm)
    {
        CollectiveAlgorithms.Override(collective, algorithm);
        try
        {
            InProcessJob.Run(6, world =>
            {
                foreach (int count in new[] { 1, 3000, 100_000 }) EveryCollectiveOnce(world, count, count + 1);
                var parts = new int[600];
                world.ReduceScatter<int>(Enumerable.Repeat(1, 600 * 6).ToArray().AsSpan(0, 600 * 6), parts.AsSpan(0, 600),
                    [600, 600, 600, 600, 600, 600], ReduceOp<int>.Sum);
                Kit.Untouched<int>(parts, 6, $"reduce-scatter over tcp, rank {world.Rank}");
            }, ChannelPolicy.Network, TimeSpan.FromSeconds(90));
        }
        finally
        {
            CollectiveAlgorithms.Override(collective, CollectiveAlgorithms.Auto);
        }
    }

    [Fact]
    public void ManyCollectivesBackToBackNeverCrossTheirMessages() =>
        InProcessJob.Run(7, world =>
        {
            for (int round = 0; round < 20; round++) EveryCollectiveOnce(world, round * 37 % 200, round);
        }, ChannelPolicy.Locality, TimeSpan.FromSeconds(90));

    [Fact]
    public void CollectivesOnSplitCommunicatorsKeepToTheirOwnRanks() =>
        InProcessJob.Run(8, world =>
        {
            var half = world.Split(world.Rank % 2, -world.Rank)!;
            var dup = world.Dup();
            for (int round = 0; round < 5; round++)
            {
                EveryCollectiveOnce(half, 50 + round, round);
                EveryCollectiveOnce(dup, 3000, round);
                EveryCollectiveOnce(world, 7, round);
            }
            // The key reverses the order: rank 0 of each half is the highest world rank of that colour.
            Assert.Equal(world.Rank % 2 == 0 ? 6 : 7, half.Bcast(world.Rank, 0));
        }, ChannelPolicy.Locality, TimeSpan.FromSeconds(90));
}
