using CsCheck;
using Cosched.Messaging.Protocol;
using Cosched.Messaging.Tests.PointToPoint;
using Cosched.Messaging.Transports;

namespace Cosched.Messaging.Tests.Migration;

/// <summary>Channel switches at random points (shm to tcp and back, one pair at a time, started by
/// either side) lose, duplicate or reorder nothing: eager and rendezvous messages, queued sends,
/// unexpected messages and single-copy offers all survive.</summary>
[Collection(JobCollection.Name)]
public sealed class ChannelSwitchTests
{
    private static ChannelKind Other(ChannelKind kind) => kind == ChannelKind.Tcp ? ChannelKind.Shm : ChannelKind.Tcp;

    [Fact]
    public void StormSurvivesRandomSwitches()
    {
        Gen.Select(Gen.Int[0, 1_000_000], Gen.Int[1, 40], Gen.Int[1, 60]).Sample((seed, messages, percent) =>
        {
            int switches = 0;
            Jobs.Run(4, world =>
            {
                bool first = true;
                Storm.Run(world, seed, messages, 3 * Jobs.Eager, random =>
                {
                    // Every rank switches at least once, the rest at random.
                    if (!first && random.Next(100) >= percent) return;
                    first = false;
                    int peer = random.Next(world.Size - 1);
                    if (peer >= world.Rank) peer++;
                    world.Engine.RequestSwitch(peer, Other(world.Engine.ChannelKindTo(peer)));
                    Interlocked.Increment(ref switches);
                });
                world.Barrier();
            });
            Assert.True(switches > 0);
        }, iter: 12, threads: 1);
    }

    private static void SettleSwitches(Communicator world)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (world.Engine.IsSwitching && DateTime.UtcNow < deadline) world.Engine.Progress();
        world.Barrier();
    }

    [Fact]
    public void BothSidesEndOnTheSameChannel()
    {
        Jobs.Run(2, world =>
        {
            int peer = 1 - world.Rank;
            // Rank 0 asks for tcp; rank 1 follows its marker without being asked.
            if (world.Rank == 0) world.Engine.RequestSwitch(peer, ChannelKind.Tcp);
            for (int i = 0; i < 200; i++)
            {
                if (world.Rank == 0) world.Send(i, peer, 0);
                else Assert.Equal(i, world.Recv<int>(peer, 0));
            }
            // A switch completes asynchronously, inside the ranks' progress.
            SettleSwitches(world);
            Assert.Equal(ChannelKind.Tcp, world.Engine.ChannelKindTo(peer));
            // And back, this time asked by rank 1, with a rendezvous message in flight.
            var large = Jobs.Pattern(4 * Jobs.Eager, 7);
            var received = new byte[large.Length];
            var pending = world.Rank == 0 ? world.Isend<byte>(large, peer, 1) : world.Irecv<byte>(received, peer, 1);
            if (world.Rank == 1) world.Engine.RequestSwitch(peer, ChannelKind.Shm);
            Communicator.Wait(pending);
            SettleSwitches(world);
            Assert.Equal(ChannelKind.Shm, world.Engine.ChannelKindTo(peer));
            if (world.Rank == 1) Assert.Equal(large, received);
        });
    }

    /// <summary>A pair with no traffic after the switch (CG's ranks talk to only some peers): the
    /// side that followed the marker must still finish its switch, or a move waits for it forever.</summary>
    [Fact]
    public void ASwitchWithNoTrafficAfterItFinishesOnBothSides()
    {
        Jobs.Run(2, world =>
        {
            int peer = 1 - world.Rank;
            if (world.Rank == 0) world.Engine.RequestSwitch(peer, ChannelKind.Tcp);
            var deadline = DateTime.UtcNow.AddSeconds(5);
            // Rank 1 must first see the marker: until then it has nothing to finish.
            while ((world.Engine.IsSwitching || world.Engine.ChannelKindTo(peer) != ChannelKind.Tcp) && DateTime.UtcNow < deadline)
                world.Engine.Progress();
            Assert.False(world.Engine.IsSwitching, $"rank {world.Rank} still switching: {world.Engine.Peers[0].DescribeSwitch()}");
            Assert.Equal(ChannelKind.Tcp, world.Engine.ChannelKindTo(peer));
            world.Barrier();
        });
    }
}
