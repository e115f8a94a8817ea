namespace Cosched.Messaging.Tests.PointToPoint;

/// <summary>MPI_Ssend and MPI_Issend: a synchronous send completes only once its receive has
/// matched, whatever its size (a standard send of a small message completes at once).</summary>
[Collection(JobCollection.Name)]
public class SynchronousSendTests
{
    public static TheoryData<ChannelPolicy, int> PolicySizes()
    {
        var data = new TheoryData<ChannelPolicy, int>();
        foreach (var policy in new[] { ChannelPolicy.Locality, ChannelPolicy.Network })
            foreach (int size in new[] { 0, 8, Jobs.Eager, Jobs.Eager + 1, 300_000 })
                data.Add(policy, size);
        return data;
    }

    [Theory]
    [MemberData(nameof(PolicySizes))]
    public void AnIssendStaysOpenUntilTheReceiveIsPosted(ChannelPolicy policy, int size)
    {
        Jobs.Run(2, world =>
        {
            if (world.Rank == 0)
            {
                var request = world.Issend<byte>(Jobs.Pattern(size, 7), 1, 3);
                // The receiver posts nothing until the next barrier: however long we drive progress,
                // the send must not complete.
                var until = DateTime.UtcNow.AddMilliseconds(150);
                while (DateTime.UtcNow < until) Assert.False(request.Test(out _));
                world.Barrier();
                request.Wait();
                Assert.True(request.IsCompleted);
                return;
            }
            world.Barrier();
            var into = new byte[size];
            Assert.Equal(new Status(0, 3, size), world.Recv<byte>(into, 0, 3));
            Assert.Equal(Jobs.Pattern(size, 7), into);
        }, policy);
    }

    [Theory]
    [MemberData(nameof(Jobs.Policies), MemberType = typeof(Jobs))]
    public void SsendReturnsOnlyAfterTheReceiverPostedAndKeepsOrder(ChannelPolicy policy)
    {
        // The ranks are threads of this process: the receiver counts the receives it has posted,
        // and each Ssend must see its own counted when it returns (a standard send of a few bytes
        // would run ahead of the receiver).
        int posted = 0;
        Jobs.Run(2, world =>
        {
            if (world.Rank == 0)
            {
                for (int i = 0; i < 50; i++)
                {
                    world.Ssend<int>(Jobs.Stamped(i % 5, 0, 1, i), 1, 1);
                    Assert.True(Volatile.Read(ref posted) > i, $"Ssend {i} returned before its receive was posted");
                }
                return;
            }
            for (int i = 0; i < 50; i++)
            {
                if (i % 10 == 0) Thread.Sleep(5); // now and then the sender waits on us for real
                var into = new int[i % 5];
                Volatile.Write(ref posted, i + 1);
                Assert.Equal(new Status(0, 1, i % 5), world.Recv<int>(into, 0, 1));
                Assert.Equal(Jobs.Stamped(i % 5, 0, 1, i), into);
            }
        }, policy);
    }

    [Fact]
    public void AnIssendToOneselfCompletesWhenTheReceiveTakesIt()
    {
        Jobs.Run(1, world =>
        {
            var request = world.Issend<int>(new[] { 4, 5, 6 }, 0, 9);
            for (int i = 0; i < 100; i++) Assert.False(request.Test(out _));
            Assert.True(world.Iprobe(0, 9, out var probed));
            Assert.Equal(3 * sizeof(int), probed.Count); // an untyped probe counts bytes
            Assert.False(request.Test(out _)); // a probe is not a match
            var into = new int[3];
            world.Recv<int>(into, 0, 9);
            Assert.Equal(new[] { 4, 5, 6 }, into);
            Assert.True(request.Test(out _));
        });
    }

    [Fact]
    public void AnExchangeOfIssendsAndReceivesCompletes()
    {
        // The legal form of an exchange with synchronous sends: both start, both receive, both wait.
        Jobs.Run(2, world =>
        {
            int peer = 1 - world.Rank;
            var send = world.Issend<int>(new[] { world.Rank * 10 }, peer, 0);
            Assert.Equal(peer * 10, world.Recv<int>(peer, 0));
            send.Wait();
        });
    }
}
