
namespace Cosched.Messaging.Tests.Collectives;

/// <summary>Wrong arguments fail at once with a message that names the collective and the problem,
/// instead of hanging or corrupting memory.</summary>
[Collection(CollectiveCollection.Name)]
public class CollectiveArgumentTests
{
    private static void OnTwoRanks(Action<Communicator> body) => InProcessJob.Run(2, body, ChannelPolicy.Locality, TimeSpan.FromSeconds(30));

    [Fact]
    public void BadBuffersAndRootsAreRejected() => OnTwoRanks(world =>
    {
        var sum = ReduceOp<int>.Sum;
        Assert.Throws<ArgumentOutOfRangeException>(() => world.Bcast<int>(new int[1], 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => world.Reduce<int>(new int[1], new int[1], sum, -1));
        Assert.Contains("Allreduce", Assert.Throws<ArgumentException>(() => world.Allreduce<int>(new int[4], new int[3], sum)).Message);
        Assert.Throws<ArgumentNullException>(() => world.Allreduce<int>(new int[4], new int[4], null!));
        Assert.Throws<ArgumentException>(() => world.Allgather<int>(new int[2], new int[3]));
        Assert.Throws<ArgumentException>(() => world.Alltoall<int>(new int[3], new int[3]));
        var shared = new int[8];
        Assert.Throws<ArgumentException>(() => world.Alltoall<int>(shared.AsSpan(0, 4), shared.AsSpan(2, 4)));
        Assert.Throws<ArgumentException>(() => world.Allgather<int>(shared.AsSpan(1, 2), shared.AsSpan(0, 4)));
        Assert.Throws<ArgumentException>(() => world.ReduceScatter<int>(new int[4], new int[2], [2, 2, 2], sum));
        Assert.Throws<ArgumentException>(() => world.ReduceScatter<int>(new int[4], new int[2], [-1, 5], sum));
        Assert.Throws<ArgumentException>(() => world.ReduceScatterBlock<int>(new int[3], new int[2], sum));
        var layout = Assert.Throws<ArgumentException>(() => world.Allgatherv<int>(new int[2], new int[4], [2, 2], [0, 3]));
        Assert.Contains("does not fit", layout.Message);
        Assert.Throws<ArgumentException>(() => world.Allgatherv<int>(new int[1], new int[4], [2, 2], [0, 2]));
        Assert.Throws<ArgumentException>(() => world.Alltoallv<int>(new int[2], [1, 1], [0, 1], new int[2], [1, 1], [0]));
        if (world.Rank == 0)
        {
            Assert.Throws<ArgumentException>(() => world.Gather<int>(new int[2], new int[3], 0));
            Assert.Throws<ArgumentException>(() => world.Scatter<int>(new int[3], new int[2], 0));
            Assert.Throws<ArgumentException>(() => world.Gatherv<int>(new int[1], new int[4], [2, 2], [0, 2], 0));
            Assert.Throws<ArgumentException>(() => world.Scatterv<int>(new int[4], [2, 2], [0, 2], new int[1], 0));
        }
        // The job is still usable after the rejected calls, since none of them sent anything.
        world.Barrier();
        Assert.Equal(3, world.Allreduce(world.Rank + 1, sum));
    });

    [Fact]
    public void ASingleRankJobCopiesThrough() => InProcessJob.Run(1, world =>
    {
        int[] data = [1, 2, 3];
        var result = new int[3];
        world.Barrier();
        world.Bcast<int>(data, 0);
        world.Reduce<int>(data, result, ReduceOp<int>.Max, 0);
        Assert.Equal(data, result);
        world.Alltoall<int>(data, result);
        Assert.Equal(data, result);
        world.Exscan<int>(data, result = [7, 7, 7], ReduceOp<int>.Sum);
        Assert.Equal([7, 7, 7], result);
        world.Gatherv<int>(data, result = new int[3], [3], [0], 0);
        Assert.Equal(data, result);
    });
}
