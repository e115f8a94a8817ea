using Cosched.Messaging.Tests.PointToPoint;

namespace Cosched.Messaging.Tests.Migration;

/// <summary>Every rank sends messages of random sizes (across the eager limit) and tags to every
/// other rank with Isend and receives them with AnySource/AnyTag after Probe; every byte and the
/// order per (source, tag) are checked. <paramref name="disturb"/> runs between the steps (to switch
/// channels or to let moves happen).</summary>
internal static class Storm
{
    public const int Tags = 3;

    public static void Run(Communicator world, int seed, int messagesPerPeer, int largest, Action<Random> disturb)
    {
        var random = new Random(seed * 31 + world.Rank);
        var sends = new List<Request>();
        var nextSequence = new int[world.Size, Tags];
        for (int i = 0; i < messagesPerPeer; i++)
        {
            for (int peer = 0; peer < world.Size; peer++)
            {
                if (peer == world.Rank) continue;
                int tag = random.Next(Tags);
                int count = Math.Max(3, random.Next(largest / sizeof(int)));
                var data = Jobs.Stamped(count, world.Rank, tag, nextSequence[peer, tag]++);
                sends.Add(world.Isend<int>(data, peer, tag));
                disturb(random);
            }
        }
        var expected = new int[world.Size, Tags];
        int toReceive = messagesPerPeer * (world.Size - 1);
        for (int got = 0; got < toReceive; got++)
        {
            var probed = world.Probe<int>(Communicator.AnySource, Communicator.AnyTag);
            var buffer = new int[probed.Count];
            var status = world.Recv<int>(buffer, probed.Source, probed.Tag);
            Assert.Equal(probed, status);
            int sequence = expected[status.Source, status.Tag]++;
            Assert.True(buffer.AsSpan().SequenceEqual(Jobs.Stamped(buffer.Length, status.Source, status.Tag, sequence)),
                $"rank {world.Rank}: message {sequence} from rank {status.Source} with tag {status.Tag} ({buffer.Length} ints) is wrong or out of order");
            disturb(random);
        }
        Communicator.WaitAll(sends.ToArray());
    }
}
