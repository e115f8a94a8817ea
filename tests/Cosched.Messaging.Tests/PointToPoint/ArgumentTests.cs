namespace Cosched.Messaging.Tests.PointToPoint;

/// <summary>Bad ranks and tags are the caller's mistake: ArgumentOutOfRangeException naming the
/// parameter and the bad value, thrown before anything is sent or posted, so the job carries on.</summary>
[Collection(JobCollection.Name)]
public class ArgumentTests
{
    private static void ExpectBadRank(Action call, string parameter, int rank, int size)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(call);
        Assert.Equal(parameter, e.ParamName);
        Assert.Contains($"rank {rank} ", e.Message);
        Assert.Contains($"{size} ranks", e.Message);
    }

    private static void ExpectBadTag(Action call, int tag, string parameter = "tag")
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(call);
        Assert.Equal(parameter, e.ParamName);
        Assert.Contains($"tag {tag} ", e.Message);
    }

    [Theory]
    [MemberData(nameof(Jobs.Policies), MemberType = typeof(Jobs))]
    public void BadRanksAreRejected(ChannelPolicy policy)
    {
        Jobs.Run(3, world =>
        {
            var buffer = new int[4];
            foreach (int bad in new[] { 3, 100, -2, int.MinValue })
            {
                ExpectBadRank(() => world.Send(1, bad, 0), "dest", bad, 3);
                ExpectBadRank(() => world.Isend<int>(buffer, bad, 0), "dest", bad, 3);
                ExpectBadRank(() => world.Recv<int>(buffer, bad, 0), "source", bad, 3);
                ExpectBadRank(() => world.Irecv<int>(buffer, bad, 0), "source", bad, 3);
                ExpectBadRank(() => world.Probe(bad, 0), "source", bad, 3);
                ExpectBadRank(() => world.Iprobe(bad, 0, out _), "source", bad, 3);
                ExpectBadRank(() => world.Sendrecv<int>(buffer, bad, 0, buffer, 0, 0), "dest", bad, 3);
                ExpectBadRank(() => world.Sendrecv<int>(buffer, 0, 0, buffer, bad, 0), "source", bad, 3);
                ExpectBadRank(() => world.ChannelTo(bad), "rank", bad, 3);
                ExpectBadRank(() => world.WorldRank(bad), "rank", bad, 3);
            }
            // AnySource is a source, never a destination.
            ExpectBadRank(() => world.Send(1, Communicator.AnySource, 0), "dest", Communicator.AnySource, 3);
            AssertJobStillWorks(world);
        }, policy);
    }

    [Fact]
    public void NegativeTagsAreRejected()
    {
        Jobs.Run(2, world =>
        {
            var buffer = new int[4];
            foreach (int bad in new[] { -2, -100, int.MinValue })
            {
                ExpectBadTag(() => world.Send(1, 1 - world.Rank, bad), bad);
                ExpectBadTag(() => world.Isend<int>(buffer, 1 - world.Rank, bad), bad);
                ExpectBadTag(() => world.Sendrecv<int>(buffer, 1 - world.Rank, bad, buffer, 1 - world.Rank, 0), bad, "sendTag");
                // A receive tag below zero other than AnyTag could never match: reject it instead of waiting forever.
                ExpectBadTag(() => world.Irecv<int>(buffer, 1 - world.Rank, bad), bad);
                ExpectBadTag(() => world.Recv<int>(buffer, 1 - world.Rank, bad), bad);
                ExpectBadTag(() => world.Probe(1 - world.Rank, bad), bad);
                ExpectBadTag(() => world.Iprobe(1 - world.Rank, bad, out _), bad);
                ExpectBadTag(() => world.Sendrecv<int>(buffer, 1 - world.Rank, 0, buffer, 1 - world.Rank, bad), bad, "receiveTag");
            }
            // AnyTag is a receive tag, never a send tag.
            ExpectBadTag(() => world.Send(1, 1 - world.Rank, Communicator.AnyTag), Communicator.AnyTag);
            AssertJobStillWorks(world);
        });
    }

    [Fact]
    public void FailedSendrecvLeavesNoReceiveBehind()
    {
        // The receive half must not stay posted when the send half is rejected: it would steal the
        // next matching message and write it into a buffer that is no longer pinned.
        Jobs.Run(2, world =>
        {
            int peer = 1 - world.Rank;
            var received = new int[1];
            Assert.Throws<ArgumentOutOfRangeException>(() => world.Sendrecv<int>(new[] { 1 }, 5, 0, received, peer, 3));
            Assert.Throws<ArgumentOutOfRangeException>(() => world.Sendrecv<int>(new[] { 1 }, peer, -4, received, peer, 3));
            world.Send(40 + world.Rank, peer, 3);
            Assert.Equal(40 + peer, world.Recv<int>(peer, 3));
            Assert.Equal(0, received[0]);
        });
    }

    private static void AssertJobStillWorks(Communicator world)
    {
        int right = (world.Rank + 1) % world.Size, left = (world.Rank + world.Size - 1) % world.Size;
        var received = new int[1];
        var status = world.Sendrecv<int>(new[] { world.Rank }, right, 0, received, Communicator.AnySource, Communicator.AnyTag);
        Assert.Equal(new Status(left, 0, 1), status);
        Assert.Equal(left, received[0]);
        Assert.False(world.Iprobe(Communicator.AnySource, Communicator.AnyTag, out _));
    }
}
