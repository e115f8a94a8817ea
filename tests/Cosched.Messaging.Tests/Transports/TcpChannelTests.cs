using Cosched.Messaging.Tests.PointToPoint;
using Cosched.Messaging.Transports;

namespace Cosched.Messaging.Tests.Transports;

/// <summary>The tcp channel accepts a frame even when the socket takes only part of it (the rest
/// waits in the channel); whatever the protocol does next, those bytes must still go out.</summary>
[Collection(JobCollection.Name)]
public class TcpChannelTests
{
    [Theory]
    [InlineData(16 * 1024)]
    [InlineData(12_345)]
    [InlineData(1)]
    public void AFrameLeftPartlyWrittenStillArrives(int size)
    {
        // Rank 0 fills the socket while rank 1 reads nothing, until a frame is only partly written,
        // then goes quiet waiting for rank 1's answer: nothing else is queued to push the rest out.
        int sent = 0;
        using var filled = new ManualResetEventSlim();
        Jobs.Run(2, world =>
        {
            if (world.Rank == 0)
            {
                var channel = world.Engine.Peers.Single(p => p.WorldRank == 1).Channel;
                Assert.Equal(Cosched.Messaging.Transports.ChannelKind.Tcp, channel.Kind);
                while (channel.Flush() && sent < 1_000_000)
                {
                    world.Send<byte>(Jobs.Pattern(size, sent % 100), 1, 0);
                    sent++;
                }
                Assert.False(channel.Flush(), "the socket never filled up");
                filled.Set();
                Assert.Equal(sent, world.Recv<int>(1, 1));
                return;
            }
            Assert.True(filled.Wait(TimeSpan.FromSeconds(20)));
            var buffer = new byte[size];
            for (int i = 0; i < sent; i++)
            {
                world.Recv<byte>(buffer, 0, 0);
                if (!buffer.AsSpan().SequenceEqual(Jobs.Pattern(size, i % 100))) Assert.Fail($"message {i} damaged");
            }
            world.Send(sent, 0, 1);
        }, ChannelPolicy.Network, timeoutSeconds: 20);
    }

    [Fact]
    public void ARankThatLeavesWithAPartlyWrittenFrameStillDeliversIt()
    {
        // Rank 0 fills the socket and leaves at once: leaving must push out the rest before closing.
        int sent = 0;
        using var filled = new ManualResetEventSlim();
        Jobs.Run(2, world =>
        {
            if (world.Rank == 0)
            {
                var channel = world.Engine.Peers.Single(p => p.WorldRank == 1).Channel;
                while (channel.Flush() && sent < 1_000_000)
                {
                    world.Send<byte>(Jobs.Pattern(1000, sent % 100), 1, 0);
                    sent++;
                }
                filled.Set();
                return;
            }
            Assert.True(filled.Wait(TimeSpan.FromSeconds(20)));
            var buffer = new byte[1000];
            for (int i = 0; i < sent; i++)
            {
                world.Recv<byte>(buffer, 0, 0);
                if (!buffer.AsSpan().SequenceEqual(Jobs.Pattern(1000, i % 100))) Assert.Fail($"message {i} damaged");
            }
        }, ChannelPolicy.Network, timeoutSeconds: 20);
    }

    [Fact]
    public void ALargeMessageAfterAFullSocketArrives()
    {
        // Same situation, but the next thing rank 0 does is a rendezvous send: its ReadyToSend
        // frame queues behind the partial frame and must go out once the socket drains.
        int sent = 0;
        int large = 5 * Jobs.Eager;
        using var filled = new ManualResetEventSlim();
        Jobs.Run(2, world =>
        {
            if (world.Rank == 0)
            {
                var channel = world.Engine.Peers.Single(p => p.WorldRank == 1).Channel;
                while (channel.Flush() && sent < 1_000_000)
                {
                    world.Send<byte>(Jobs.Pattern(Jobs.Eager, sent % 100), 1, 0);
                    sent++;
                }
                filled.Set();
                world.Send<byte>(Jobs.Pattern(large, -1), 1, 2);
                return;
            }
            Assert.True(filled.Wait(TimeSpan.FromSeconds(20)));
            var buffer = new byte[Jobs.Eager];
            for (int i = 0; i < sent; i++)
            {
                world.Recv<byte>(buffer, 0, 0);
                if (!buffer.AsSpan().SequenceEqual(Jobs.Pattern(Jobs.Eager, i % 100))) Assert.Fail($"message {i} damaged");
            }
            var big = new byte[large];
            world.Recv<byte>(big, 0, 2);
            Assert.Equal(Jobs.Pattern(large, -1), big);
        }, ChannelPolicy.Network, timeoutSeconds: 20);
    }
}
