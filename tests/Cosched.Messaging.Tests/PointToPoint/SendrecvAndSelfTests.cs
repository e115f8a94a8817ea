namespace Cosched.Messaging.Tests.PointToPoint;

/// <summary>Sendrecv between pairs and around a ring, and messages a rank sends to itself.</summary>
[Collection(JobCollection.Name)]
public class SendrecvAndSelfTests
{
    public static TheoryData<ChannelPolicy, int> PolicySizes()
    {
        var data = new TheoryData<ChannelPolicy, int>();
        foreach (var policy in new[] { ChannelPolicy.Locality, ChannelPolicy.Network })
            foreach (int size in new[] { 0, 64, Jobs.Eager + 1, 300_000 })
                data.Add(policy, size);
        return data;
    }

    [Theory]
    [MemberData(nameof(PolicySizes))]
    public void PairsExchangeWithoutDeadlock(ChannelPolicy policy, int size)
    {
        // Both partners send a (possibly rendezvous-sized) message first: plain blocking Send would deadlock.
        Jobs.Run(4, world =>
        {
            int partner = world.Rank ^ 1;
            var received = new byte[size];
            var status = world.Sendrecv<byte>(Jobs.Pattern(size, world.Rank), partner, world.Rank, received, partner, partner);
            Assert.Equal(new Status(partner, partner, size), status);
            Assert.Equal(Jobs.Pattern(size, partner), received);
        }, policy);
    }

    [Theory]
    [MemberData(nameof(PolicySizes))]
    public void RingShiftWithWildcardReceive(ChannelPolicy policy, int size)
    {
        Jobs.Run(4, world =>
        {
            int right = (world.Rank + 1) % world.Size, left = (world.Rank + world.Size - 1) % world.Size;
            var received = new byte[size + 10];
            for (int round = 0; round < 3; round++)
            {
                var status = world.Sendrecv<byte>(Jobs.Pattern(size, world.Rank * 10 + round), right, round, received, Communicator.AnySource, Communicator.AnyTag);
                Assert.Equal(new Status(left, round, size), status);
                Assert.True(Jobs.Pattern(size, left * 10 + round).AsSpan().SequenceEqual(received.AsSpan(0, size)));
            }
        }, policy);
    }

    [Fact]
    public void SendrecvWithDifferentSizesBothWays()
    {
        Jobs.Run(2, world =>
        {
            int mine = world.Rank == 0 ? 10 : 2 * Jobs.Eager, theirs = world.Rank == 0 ? 2 * Jobs.Eager : 10;
            var received = new byte[theirs];
            world.Sendrecv<byte>(Jobs.Pattern(mine, world.Rank), 1 - world.Rank, 0, received, 1 - world.Rank, 0);
            Assert.Equal(Jobs.Pattern(theirs, 1 - world.Rank), received);
        });
    }

    [Fact]
    public void SendrecvWithSelf()
    {
        Jobs.Run(2, world =>
        {
            var received = new int[3];
            var status = world.Sendrecv<int>(new[] { 1, 2, world.Rank }, world.Rank, 6, received, world.Rank, 6);
            Assert.Equal(new Status(world.Rank, 6, 3), status);
            Assert.Equal([1, 2, world.Rank], received);
        });
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    [InlineData(16 * 1024 + 1)]
    [InlineData(1 << 20)]
    public void SendToSelfIsBufferedAndOrdered(int size)
    {
        Jobs.Run(2, world =>
        {
            // Blocking sends to ourselves, before the receives, of any size.
            for (int i = 0; i < 3; i++) world.Send<byte>(Jobs.Pattern(size, i), world.Rank, 1);
            Assert.Equal("self", world.ChannelTo(world.Rank));
            var buffer = new byte[size];
            for (int i = 0; i < 3; i++)
            {
                var status = world.Recv<byte>(buffer, Communicator.AnySource, Communicator.AnyTag);
                Assert.Equal(new Status(world.Rank, 1, size), status);
                Assert.Equal(Jobs.Pattern(size, i), buffer);
            }
            // Non-blocking, receive posted first.
            var received = new byte[size];
            var receive = world.Irecv<byte>(received, world.Rank, 2);
            Assert.False(receive.IsCompleted);
            var send = world.Isend<byte>(Jobs.Pattern(size, 9), world.Rank, 2);
            Communicator.WaitAll(send, receive);
            Assert.Equal(Jobs.Pattern(size, 9), received);
        });
    }

    [Fact]
    public void SelfAndPeerMessagesAreTellApartByStatus()
    {
        Jobs.Run(2, world =>
        {
            world.Send(100 + world.Rank, world.Rank, 0);
            world.Send(200 + world.Rank, 1 - world.Rank, 0);
            var got = new Dictionary<int, int>();
            for (int i = 0; i < 2; i++)
            {
                var value = new int[1];
                var status = world.Recv<int>(value, Communicator.AnySource, 0);
                got[status.Source] = value[0];
            }
            Assert.Equal(100 + world.Rank, got[world.Rank]);
            Assert.Equal(200 + (1 - world.Rank), got[1 - world.Rank]);
        });
    }
}
