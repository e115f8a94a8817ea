namespace Cosched.Messaging.Tests.PointToPoint;

/// <summary>Isend and Irecv with Wait, WaitAll, WaitAny, Test and Cancel.</summary>
[Collection(JobCollection.Name)]
public class NonBlockingTests
{
    public static TheoryData<ChannelPolicy, int> PolicySizes()
    {
        var data = new TheoryData<ChannelPolicy, int>();
        foreach (var policy in new[] { ChannelPolicy.Locality, ChannelPolicy.Network })
            foreach (int size in new[] { 0, 100, Jobs.Eager, Jobs.Eager + 1, 500_000 })
                data.Add(policy, size);
        return data;
    }

    [Theory]
    [MemberData(nameof(PolicySizes))]
    public void ReceivesPostedBeforeAndAfterArrivalComplete(ChannelPolicy policy, int size)
    {
        Jobs.Run(2, world =>
        {
            if (world.Rank == 0)
            {
                world.Barrier();                      // receive of message 1 is posted
                var one = world.Isend<byte>(Jobs.Pattern(size, 1), 1, 1);
                var two = world.Isend<byte>(Jobs.Pattern(size, 2), 1, 2);
                world.Barrier();                      // message 2 has been sent, not yet received
                Communicator.WaitAll(one, two);
                return;
            }
            var first = new byte[size];
            var second = new byte[size];
            var early = world.Irecv<byte>(first, 0, 1);
            Assert.False(early.IsCompleted);
            world.Barrier();
            world.Barrier();
            // An eager message is already here; a rendezvous one is only announced.
            if (size <= Jobs.Eager) while (!world.Iprobe(0, 2, out _)) Thread.Yield();
            var late = world.Irecv<byte>(second, 0, 2);
            Status status;
            while (!Communicator.Test(late, out status)) Thread.Yield();
            Assert.Equal(new Status(0, 2, size), status);
            Assert.Equal(Jobs.Pattern(size, 2), second);
            Assert.Equal(new Status(0, 1, size), early.Wait());
            Assert.Equal(Jobs.Pattern(size, 1), first);
            // Waiting on a completed request again gives the same status.
            Assert.Equal(new Status(0, 1, size), Communicator.Wait(early));
        }, policy);
    }

    [Theory]
    [MemberData(nameof(Jobs.Policies), MemberType = typeof(Jobs))]
    public void ManyOutstandingRequestsInBothDirections(ChannelPolicy policy)
    {
        const int count = 600;
        int[] sizes = Enumerable.Range(0, count).Select(i => i % 50 == 7 ? Jobs.Eager * 2 + i : i % 13 * 37).ToArray();
        Jobs.Run(2, world =>
        {
            int peer = 1 - world.Rank;
            var buffers = sizes.Select(s => new byte[s]).ToArray();
            var requests = new List<Request>();
            // Receives and sends interleaved, tags reused, so matching order is what sorts them out.
            for (int i = 0; i < count; i++)
            {
                requests.Add(world.Irecv<byte>(buffers[i], peer, i % 3));
                requests.Add(world.Isend<byte>(Jobs.Pattern(sizes[i], i * 2 + world.Rank), peer, i % 3));
            }
            var statuses = Communicator.WaitAll(requests.ToArray());
            for (int i = 0; i < count; i++)
            {
                Assert.Equal(new Status(peer, i % 3, sizes[i]), statuses[2 * i]);
                Assert.True(Jobs.Pattern(sizes[i], i * 2 + peer).AsSpan().SequenceEqual(buffers[i]), $"message {i} damaged");
            }
        }, policy);
    }

    [Theory]
    [MemberData(nameof(Jobs.Policies), MemberType = typeof(Jobs))]
    public void WaitAnyReturnsTheRequestThatCompleted(ChannelPolicy policy)
    {
        Jobs.Run(2, world =>
        {
            if (world.Rank == 0)
            {
                foreach (int tag in new[] { 2, 0, 1 })
                {
                    world.Recv<int>(1, 99); // the receiver is ready for the next one
                    world.Send(tag * 10, 1, tag);
                }
                return;
            }
            var values = new int[3][];
            var requests = new Request[3];
            for (int tag = 0; tag < 3; tag++)
            {
                values[tag] = new int[1];
                requests[tag] = world.Irecv<int>(values[tag], 0, tag);
            }
            var done = new List<int>();
            for (int round = 0; round < 3; round++)
            {
                world.Send(0, 0, 99);
                var pending = requests.Where(r => !done.Contains(Array.IndexOf(requests, r))).ToArray();
                int index = Communicator.WaitAny(pending, out var status);
                int tag = Array.IndexOf(requests, pending[index]);
                done.Add(tag);
                Assert.Equal(new Status(0, tag, 1), status);
                Assert.Equal(tag * 10, values[tag][0]);
            }
            Assert.Equal([2, 0, 1], done);
            // With some already complete, WaitAny returns one of those at once.
            Assert.InRange(Communicator.WaitAny(requests, out _), 0, 2);
        }, policy);
    }

    [Fact]
    public void WaitAnyOfNothingIsAnError()
    {
        Assert.Throws<ArgumentException>(() => Communicator.WaitAny([], out _));
    }

    [Theory]
    [MemberData(nameof(Jobs.Policies), MemberType = typeof(Jobs))]
    public void TestReportsSendCompletionOnlyAfterARendezvousIsAccepted(ChannelPolicy policy)
    {
        int size = 4 * Jobs.Eager;
        Jobs.Run(2, world =>
        {
            if (world.Rank == 0)
            {
                var request = world.Isend<byte>(Jobs.Pattern(size, 5), 1, 0);
                for (int i = 0; i < 20; i++)
                {
                    Assert.False(request.Test(out _), "a large send completed before the receiver matched it");
                    Thread.Sleep(1);
                }
                world.Send(1, 1, 1); // now the receiver may post
                request.Wait();
                return;
            }
            world.Recv<int>(0, 1);
            var buffer = new byte[size];
            world.Recv<byte>(buffer, 0, 0);
            Assert.Equal(Jobs.Pattern(size, 5), buffer);
        }, policy);
    }

    [Theory]
    [MemberData(nameof(Jobs.Policies), MemberType = typeof(Jobs))]
    public void CancelWithdrawsAnUnmatchedReceive(ChannelPolicy policy)
    {
        Jobs.Run(2, world =>
        {
            if (world.Rank == 0)
            {
                world.Barrier();
                world.Send(7, 1, 3);
                world.Send<byte>(Jobs.Pattern(3 * Jobs.Eager, 1), 1, 3);
                return;
            }
            var cancelled = world.Irecv<int>(new int[1], 0, 3);
            var other = world.Irecv<int>(new int[1], 0, 4);
            Assert.True(Communicator.Cancel(cancelled));
            Assert.True(cancelled.IsCompleted);
            world.Barrier();
            // The message goes to the next receive, not to the withdrawn one.
            Assert.Equal(7, world.Recv<int>(0, 3));
            var buffer = new byte[3 * Jobs.Eager];
            world.Recv<byte>(buffer, 0, 3);
            Assert.Equal(Jobs.Pattern(buffer.Length, 1), buffer);
            // Cancelling twice fails the second time; the other receive is still unmatched.
            Assert.False(Communicator.Cancel(cancelled));
            Assert.True(Communicator.Cancel(other));
            Assert.False(world.Iprobe(Communicator.AnySource, Communicator.AnyTag, out _));
        }, policy);
    }

    [Fact]
    public void CancelOfAMatchedReceiveReturnsFalse()
    {
        Jobs.Run(2, world =>
        {
            if (world.Rank == 0)
            {
                world.Send(9, 1, 0);
                return;
            }
            var value = new int[1];
            var request = world.Irecv<int>(value, 0, 0);
            request.Wait();
            Assert.False(Communicator.Cancel(request));
            Assert.Equal(9, value[0]);
        });
    }

    [Fact]
    public void IsendBufferMayBeReusedAfterWait()
    {
        Jobs.Run(2, world =>
        {
            if (world.Rank == 0)
            {
                var buffer = new byte[3 * Jobs.Eager];
                for (int i = 0; i < 10; i++)
                {
                    Jobs.Pattern(buffer.Length, i).CopyTo(buffer, 0);
                    world.Isend<byte>(buffer, 1, 0).Wait();
                }
                return;
            }
            var received = new byte[3 * Jobs.Eager];
            for (int i = 0; i < 10; i++)
            {
                world.Recv<byte>(received, 0, 0);
                Assert.Equal(Jobs.Pattern(received.Length, i), received);
            }
        });
    }
}
