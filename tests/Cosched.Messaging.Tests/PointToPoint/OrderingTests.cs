namespace Cosched.Messaging.Tests.PointToPoint;

/// <summary>Non-overtaking: two messages from one sender to one receiver with the same tag and
/// communicator arrive in the order they were sent, whatever their sizes and protocols.</summary>
[Collection(JobCollection.Name)]
public class OrderingTests
{
    public enum ReceiveMode
    {
        /// <summary>Blocking sends and receives, in step.</summary>
        Blocking,
        /// <summary>All receives posted (Irecv) before the first message is sent.</summary>
        PostedFirst,
        /// <summary>All messages sent (Isend) before the first receive is posted: every one is unexpected.</summary>
        ArrivedFirst,
        /// <summary>Receives with AnySource and AnyTag.</summary>
        Wildcards,
    }

    public static TheoryData<ChannelPolicy, ReceiveMode> Cases()
    {
        var data = new TheoryData<ChannelPolicy, ReceiveMode>();
        foreach (var policy in new[] { ChannelPolicy.Locality, ChannelPolicy.Network })
            foreach (var mode in Enum.GetValues<ReceiveMode>())
                data.Add(policy, mode);
        return data;
    }

    /// <summary>Eager and rendezvous sizes interleaved, so a small message sent after a large one
    /// could overtake it if the protocol layer ordered them by readiness instead of by posting.</summary>
    private static int[] MixedSizes()
    {
        int e = Jobs.Eager;
        int[] choices = [0, 1, 8, 100, 4096, e - 1, e, e + 1, 3 * e, 40_000, 100_000, 300_000, 17, e + 8];
        var random = new Random(42);
        var sizes = new int[48];
        for (int i = 0; i < sizes.Length; i++) sizes[i] = i < choices.Length ? choices[i] : choices[random.Next(choices.Length)];
        random.Shuffle(sizes);
        return sizes;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MessagesWithTheSameTagArriveInSendOrder(ChannelPolicy policy, ReceiveMode mode)
    {
        var sizes = MixedSizes();
        const int tag = 9;
        Jobs.Run(2, world =>
        {
            if (world.Rank == 0)
            {
                if (mode == ReceiveMode.PostedFirst) world.Barrier();
                if (mode is ReceiveMode.ArrivedFirst)
                {
                    var requests = new Request[sizes.Length];
                    for (int i = 0; i < sizes.Length; i++) requests[i] = world.Isend<byte>(Jobs.Pattern(sizes[i], i), 1, tag);
                    world.Barrier();
                    Communicator.WaitAll(requests);
                }
                else
                {
                    for (int i = 0; i < sizes.Length; i++) world.Send<byte>(Jobs.Pattern(sizes[i], i), 1, tag);
                }
                return;
            }

            var buffers = sizes.Select(s => new byte[s + 64]).ToArray();
            var statuses = new Status[sizes.Length];
            switch (mode)
            {
                case ReceiveMode.Blocking:
                    for (int i = 0; i < sizes.Length; i++) statuses[i] = world.Recv<byte>(buffers[i], 0, tag);
                    break;
                case ReceiveMode.Wildcards:
                    for (int i = 0; i < sizes.Length; i++) statuses[i] = world.Recv<byte>(buffers[i], Communicator.AnySource, Communicator.AnyTag);
                    break;
                case ReceiveMode.PostedFirst:
                {
                    var requests = new Request[sizes.Length];
                    for (int i = 0; i < sizes.Length; i++) requests[i] = world.Irecv<byte>(buffers[i], 0, tag);
                    world.Barrier();
                    statuses = Communicator.WaitAll(requests);
                    break;
                }
                case ReceiveMode.ArrivedFirst:
                    world.Barrier();
                    Thread.Sleep(50); // let eager messages and rendezvous requests pile up as unexpected
                    for (int i = 0; i < sizes.Length; i++) statuses[i] = world.Recv<byte>(buffers[i], 0, tag);
                    break;
            }
            for (int i = 0; i < sizes.Length; i++)
            {
                Assert.Equal(new Status(0, tag, sizes[i]), statuses[i]);
                Assert.True(Jobs.Pattern(sizes[i], i).AsSpan().SequenceEqual(buffers[i].AsSpan(0, sizes[i])), $"message {i} ({sizes[i]} bytes) arrived out of order or damaged");
            }
        }, policy);
    }

    [Theory]
    [MemberData(nameof(Jobs.Policies), MemberType = typeof(Jobs))]
    public void ADifferentTagMayBeReceivedFirst(ChannelPolicy policy)
    {
        // Tag 1 is rendezvous-sized, tag 2 eager: receiving tag 2 first must not wait for tag 1.
        int large = 5 * Jobs.Eager;
        Jobs.Run(2, world =>
        {
            if (world.Rank == 0)
            {
                var first = world.Isend<byte>(Jobs.Pattern(large, 1), 1, 1);
                var second = world.Isend<byte>(Jobs.Pattern(10, 2), 1, 2);
                var third = world.Isend<byte>(Jobs.Pattern(large, 3), 1, 2);
                Communicator.WaitAll(first, second, third);
                return;
            }
            var small = new byte[10];
            var big = new byte[large];
            Assert.Equal(new Status(0, 2, 10), world.Recv<byte>(small, 0, 2));
            Assert.Equal(Jobs.Pattern(10, 2), small);
            Assert.Equal(new Status(0, 2, large), world.Recv<byte>(big, 0, 2));
            Assert.Equal(Jobs.Pattern(large, 3), big);
            Assert.Equal(new Status(0, 1, large), world.Recv<byte>(big, 0, 1));
            Assert.Equal(Jobs.Pattern(large, 1), big);
        }, policy);
    }

    [Theory]
    [MemberData(nameof(Jobs.Policies), MemberType = typeof(Jobs))]
    public void AnyTagReceivesFromOneSenderInSendOrder(ChannelPolicy policy)
    {
        // Every message from rank 0 matches a receive with AnyTag, so none may overtake another.
        var sizes = MixedSizes();
        Jobs.Run(2, world =>
        {
            if (world.Rank == 0)
            {
                var requests = new Request[sizes.Length];
                for (int i = 0; i < sizes.Length; i++) requests[i] = world.Isend<byte>(Jobs.Pattern(sizes[i], i), 1, i % 5);
                Communicator.WaitAll(requests);
                return;
            }
            var buffer = new byte[sizes.Max()];
            for (int i = 0; i < sizes.Length; i++)
            {
                var status = world.Recv<byte>(buffer, 0, Communicator.AnyTag);
                Assert.Equal(new Status(0, i % 5, sizes[i]), status);
                Assert.True(Jobs.Pattern(sizes[i], i).AsSpan().SequenceEqual(buffer.AsSpan(0, sizes[i])), $"message {i} out of order");
            }
        }, policy);
    }
}
