namespace Cosched.Messaging.Tests.PointToPoint;

/// <summary>Dup and Split give communicators with their own matching contexts; ChannelTo reports
/// the transport the policy chose.</summary>
[Collection(JobCollection.Name)]
public class CommunicatorTests
{
    [Theory]
    [MemberData(nameof(Jobs.Policies), MemberType = typeof(Jobs))]
    public void DupHasItsOwnMatchingContext(ChannelPolicy policy)
    {
        Jobs.Run(2, world =>
        {
            var dup = world.Dup();
            Assert.Equal(world.Size, dup.Size);
            Assert.Equal(world.Rank, dup.Rank);
            if (world.Rank == 0)
            {
                dup.Send(1, 1, 5);                                          // first on the dup...
                world.Send(2, 1, 5);                                        // ...then on the original
                var large = dup.Isend<byte>(Jobs.Pattern(2 * Jobs.Eager, 3), 1, 5); // rendezvous on the dup
                world.Send(4, 1, 6);
                large.Wait();
                return;
            }
            // Wait until the dup's messages are surely here, then check the original cannot see them.
            Assert.Equal(new Status(0, 5, 1), dup.Probe<int>(0, 5));
            Assert.Equal(2, world.Recv<int>(Communicator.AnySource, Communicator.AnyTag));
            Assert.Equal(4, world.Recv<int>(0, Communicator.AnyTag));
            Assert.False(world.Iprobe(Communicator.AnySource, Communicator.AnyTag, out _));
            Assert.Equal(1, dup.Recv<int>(0, 5));
            var buffer = new byte[2 * Jobs.Eager];
            Assert.Equal(new Status(0, 5, buffer.Length), dup.Recv<byte>(buffer, Communicator.AnySource, Communicator.AnyTag));
            Assert.Equal(Jobs.Pattern(buffer.Length, 3), buffer);
        }, policy);
    }

    [Fact]
    public void ReceivePostedOnTheOriginalIgnoresTheDup()
    {
        Jobs.Run(2, world =>
        {
            var dup = world.Dup();
            var dupOfDup = dup.Dup();
            if (world.Rank == 0)
            {
                world.Barrier();
                dupOfDup.Send(3, 1, 0);
                dup.Send(2, 1, 0);
                world.Send(1, 1, 0);
                return;
            }
            var a = new int[1];
            var b = new int[1];
            var c = new int[1];
            var onWorld = world.Irecv<int>(a, Communicator.AnySource, Communicator.AnyTag);
            var onDup = dup.Irecv<int>(b, Communicator.AnySource, Communicator.AnyTag);
            var onDupOfDup = dupOfDup.Irecv<int>(c, 0, 0);
            world.Barrier();
            Communicator.WaitAll(onWorld, onDup, onDupOfDup);
            Assert.Equal([1, 2, 3], new[] { a[0], b[0], c[0] });
        });
    }

    [Theory]
    [MemberData(nameof(Jobs.Policies), MemberType = typeof(Jobs))]
    public void SplitGroupsByColorAndOrdersByKey(ChannelPolicy policy)
    {
        Jobs.Run(4, world =>
        {
            // Colors: even and odd ranks; keys reverse the order within each color.
            var half = world.Split(world.Rank % 2, -world.Rank)!;
            Assert.Equal(2, half.Size);
            int[] members = world.Rank % 2 == 0 ? [2, 0] : [3, 1];
            Assert.Equal(Array.IndexOf(members, world.Rank), half.Rank);
            Assert.Equal(members, new[] { half.WorldRank(0), half.WorldRank(1) });

            // Both halves use their ranks 0 and 1 with the same tag at once; nothing crosses over.
            int other = 1 - half.Rank;
            var received = new int[2];
            var status = half.Sendrecv<int>(new[] { world.Rank, half.Rank }, other, 1, received, Communicator.AnySource, Communicator.AnyTag);
            Assert.Equal(new Status(other, 1, 2), status);
            Assert.Equal([half.WorldRank(other), other], received);
            Assert.Equal(policy == ChannelPolicy.Network ? "tcp" : "shm", half.ChannelTo(other));

            // Equal keys: ordered by rank in the parent. A negative color: not in any.
            var firstThree = world.Split(world.Rank < 3 ? 7 : -1, 0);
            if (world.Rank == 3) Assert.Null(firstThree);
            else
            {
                Assert.NotNull(firstThree);
                Assert.Equal(3, firstThree.Size);
                Assert.Equal(world.Rank, firstThree.Rank);
                // A split of a split, and a dup of it, keep working.
                var pair = firstThree.Split(firstThree.Rank / 2, firstThree.Rank)!;
                Assert.Equal(firstThree.Rank < 2 ? 2 : 1, pair.Size);
                var dup = pair.Dup();
                var value = new int[1];
                dup.Sendrecv<int>(new[] { world.Rank }, (dup.Rank + 1) % dup.Size, 0, value, Communicator.AnySource, 0);
                Assert.Equal(dup.WorldRank((dup.Rank + dup.Size - 1) % dup.Size), value[0]);
            }
            // The world still works after all that.
            world.Barrier();
            int sum = 0;
            for (int r = 0; r < world.Size; r++)
                if (r != world.Rank) world.Send(world.Rank, r, 2);
            for (int r = 1; r < world.Size; r++) sum += world.Recv<int>(Communicator.AnySource, 2);
            Assert.Equal(6 - world.Rank, sum);
        }, policy);
    }

    [Theory]
    [MemberData(nameof(Jobs.Policies), MemberType = typeof(Jobs))]
    public void ChannelToNamesTheTransportOfThePolicy(ChannelPolicy policy)
    {
        Jobs.Run(3, world =>
        {
            for (int r = 0; r < world.Size; r++)
                Assert.Equal(r == world.Rank ? "self" : policy == ChannelPolicy.Network ? "tcp" : "shm", world.ChannelTo(r));
        }, policy);
    }

    [Fact]
    public void AJobOfOneRank()
    {
        Jobs.Run(1, world =>
        {
            Assert.Equal(1, world.Size);
            Assert.Equal(0, world.Rank);
            Assert.Equal("self", world.ChannelTo(0));
            Assert.False(world.Iprobe(Communicator.AnySource, Communicator.AnyTag, out _));
            world.Send<byte>(Jobs.Pattern(3 * Jobs.Eager, 1), 0, 1);
            world.Send(5, 0, 2);
            Assert.Equal(new Status(0, 2, 1), world.Probe<int>(0, 2));
            Assert.Equal(5, world.Recv<int>(Communicator.AnySource, 2));
            var buffer = new byte[3 * Jobs.Eager];
            Assert.Equal(new Status(0, 1, buffer.Length), world.Recv<byte>(buffer, 0, Communicator.AnyTag));
            Assert.Equal(Jobs.Pattern(buffer.Length, 1), buffer);
            world.Barrier();
            var dup = world.Dup();
            dup.Send(1, 0, 0);
            Assert.False(world.Iprobe(0, 0, out _));
            Assert.Equal(1, dup.Recv<int>(0, 0));
            Assert.Null(world.Split(-1, 0));
            var alone = world.Split(0, 0)!;
            Assert.Equal(1, alone.Size);
            var received = new int[1];
            alone.Sendrecv<int>(new[] { 8 }, 0, 0, received, 0, 0);
            Assert.Equal(8, received[0]);
            Assert.Throws<ArgumentOutOfRangeException>(() => world.Send(1, 1, 0));
        });
    }
}
