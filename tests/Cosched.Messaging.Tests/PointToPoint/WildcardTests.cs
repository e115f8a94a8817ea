namespace Cosched.Messaging.Tests.PointToPoint;

/// <summary>AnySource and AnyTag: what they match, and the Status that tells who sent what.</summary>
[Collection(JobCollection.Name)]
public class WildcardTests
{
    [Theory]
    [MemberData(nameof(Jobs.Policies), MemberType = typeof(Jobs))]
    public void AnySourceAnyTagReportsSenderTagAndCount(ChannelPolicy policy)
    {
        const int perSender = 30;
        int[] counts = [0, 1, 3, 50, Jobs.Eager / 4, Jobs.Eager / 4 + 1, 30_000, 3];
        Jobs.Run(4, world =>
        {
            if (world.Rank != 0)
            {
                for (int i = 0; i < perSender; i++)
                {
                    int count = Math.Max(3, counts[(i + world.Rank) % counts.Length]);
                    world.Send<int>(Jobs.Stamped(count, world.Rank, i % 4, i), 0, i % 4);
                }
                return;
            }
            var next = new int[world.Size];
            var buffer = new int[30_000];
            for (int n = 0; n < perSender * (world.Size - 1); n++)
            {
                var status = world.Recv<int>(buffer, Communicator.AnySource, Communicator.AnyTag);
                int source = status.Source, sequence = next[source]++;
                int expectedCount = Math.Max(3, counts[(sequence + source) % counts.Length]);
                Assert.Equal(new Status(source, sequence % 4, expectedCount), status);
                Assert.Equal(Jobs.Stamped(expectedCount, source, sequence % 4, sequence), buffer[..expectedCount]);
            }
            Assert.All(next.Skip(1), got => Assert.Equal(perSender, got));
        }, policy);
    }

    [Theory]
    [MemberData(nameof(Jobs.Policies), MemberType = typeof(Jobs))]
    public void WildcardOnOneFieldStillSelectsOnTheOther(ChannelPolicy policy)
    {
        Jobs.Run(3, world =>
        {
            if (world.Rank != 0)
            {
                // Each sender: tag 5 (small), tag 6 (rendezvous-sized), tag 5 again.
                world.Send<int>(Jobs.Stamped(4, world.Rank, 5, 0), 0, 5);
                world.Send<int>(Jobs.Stamped(Jobs.Eager, world.Rank, 6, 1), 0, 6);
                world.Send<int>(Jobs.Stamped(4, world.Rank, 5, 2), 0, 5);
                return;
            }
            var buffer = new int[Jobs.Eager];
            // AnySource with tag 6 skips both senders' tag-5 messages.
            var seen = new HashSet<int>();
            for (int i = 0; i < 2; i++)
            {
                var status = world.Recv<int>(buffer, Communicator.AnySource, 6);
                Assert.Equal(6, status.Tag);
                Assert.Equal(Jobs.Eager, status.Count);
                Assert.Equal(Jobs.Stamped(Jobs.Eager, status.Source, 6, 1), buffer);
                Assert.True(seen.Add(status.Source));
            }
            Assert.Equal([1, 2], seen.Order());
            // AnyTag from rank 2 gets rank 2's messages in order and nothing of rank 1's.
            foreach (int sequence in new[] { 0, 2 })
            {
                var status = world.Recv<int>(buffer, 2, Communicator.AnyTag);
                Assert.Equal(new Status(2, 5, 4), status);
                Assert.Equal(Jobs.Stamped(4, 2, 5, sequence), buffer[..4]);
            }
            Assert.False(world.Iprobe(2, Communicator.AnyTag, out _));
            foreach (int sequence in new[] { 0, 2 })
            {
                Assert.Equal(new Status(1, 5, 4), world.Recv<int>(buffer, 1, 5));
                Assert.Equal(Jobs.Stamped(4, 1, 5, sequence), buffer[..4]);
            }
        }, policy);
    }

    [Fact]
    public void PostedWildcardReceivesMatchInPostingOrder()
    {
        // A posted specific receive must not lose its message to a wildcard posted after it.
        Jobs.Run(2, world =>
        {
            if (world.Rank == 0)
            {
                world.Barrier();
                world.Send(1, 1, 3);
                world.Send(2, 1, 3);
                world.Send(3, 1, 4);
                return;
            }
            var a = new int[1];
            var b = new int[1];
            var c = new int[1];
            var specific = world.Irecv<int>(a, 0, 3);
            var any = world.Irecv<int>(b, Communicator.AnySource, Communicator.AnyTag);
            var tag4 = world.Irecv<int>(c, 0, 4);
            world.Barrier();
            var statuses = Communicator.WaitAll(specific, any, tag4);
            Assert.Equal([1, 2, 3], new[] { a[0], b[0], c[0] });
            Assert.Equal(new Status(0, 3, 1), statuses[1]);
            Assert.Equal(new Status(0, 4, 1), statuses[2]);
        });
    }

    [Fact]
    public void StatusCountIsInElementsOfTheReceiveType()
    {
        Jobs.Run(2, world =>
        {
            if (world.Rank == 0)
            {
                world.Send<double>(new double[] { 1, 2, 3 }, 1, 0);
                world.Send<long>(new long[Jobs.Eager], 1, 1);
                return;
            }
            var doubles = new double[10];
            Assert.Equal(new Status(0, 0, 3), world.Recv<double>(doubles, 0, 0));
            Assert.Equal([1.0, 2, 3], doubles[..3]);
            // Received as bytes, the same kind of message counts bytes.
            var bytes = new byte[8 * Jobs.Eager];
            Assert.Equal(new Status(0, 1, 8L * Jobs.Eager), world.Recv<byte>(bytes, 0, 1));
        });
    }
}
