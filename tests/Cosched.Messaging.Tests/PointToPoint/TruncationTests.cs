namespace Cosched.Messaging.Tests.PointToPoint;

/// <summary>A message larger than the receive buffer fails that receive (MPI_ERR_TRUNCATE) with an
/// error naming both sizes, and the job goes on working: the rest of the message is drained, and
/// later messages between the same ranks arrive intact.</summary>
[Collection(JobCollection.Name)]
public class TruncationTests
{
    public static TheoryData<ChannelPolicy, int, int, bool> Cases()
    {
        var data = new TheoryData<ChannelPolicy, int, int, bool>();
        int e = Jobs.Eager;
        foreach (var policy in new[] { ChannelPolicy.Locality, ChannelPolicy.Network })
        {
            foreach (bool postedFirst in new[] { false, true })
            {
                data.Add(policy, 1, 0, postedFirst);              // eager, empty buffer
                data.Add(policy, e, e - 1, postedFirst);          // eager, one byte short
                data.Add(policy, e + 1, e, postedFirst);          // rendezvous, one byte short
                data.Add(policy, 1 << 20, 1000, postedFirst);     // rendezvous, many chunks dropped
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void TruncatedReceiveThrowsAndTheJobContinues(ChannelPolicy policy, int size, int capacity, bool postedFirst)
    {
        const int tag = 4;
        Jobs.Run(2, world =>
        {
            if (world.Rank == 0)
            {
                if (postedFirst) world.Barrier();
                world.Send<byte>(Jobs.Pattern(size, 1), 1, tag);
                // The same pair keeps working afterwards, in both directions and both protocols.
                world.Send<byte>(Jobs.Pattern(size, 2), 1, tag);
                world.Send<byte>(Jobs.Pattern(3 * Jobs.Eager, 3), 1, tag + 1);
                var reply = new byte[100];
                Assert.Equal(new Status(1, 7, 100), world.Recv<byte>(reply, 1, 7));
                Assert.Equal(Jobs.Pattern(100, 4), reply);
                return;
            }

            var small = new byte[capacity];
            MessageTruncatedException error;
            if (postedFirst)
            {
                var request = world.Irecv<byte>(small, 0, tag);
                world.Barrier();
                error = Assert.Throws<MessageTruncatedException>(() => request.Wait());
                Assert.True(request.IsCompleted);
            }
            else
            {
                // Let the message (or its rendezvous request) arrive before the receive is posted.
                while (!world.Iprobe(0, tag, out _)) Thread.Yield();
                error = Assert.Throws<MessageTruncatedException>(() => world.Recv<byte>(small, 0, tag));
            }
            Assert.Contains($"{size} bytes", error.Message);
            Assert.Contains($"{capacity}-byte", error.Message);
            Assert.Contains("rank 0", error.Message);

            var full = new byte[size];
            Assert.Equal(new Status(0, tag, size), world.Recv<byte>(full, 0, tag));
            Assert.Equal(Jobs.Pattern(size, 2), full);
            var large = new byte[3 * Jobs.Eager];
            Assert.Equal(new Status(0, tag + 1, large.Length), world.Recv<byte>(large, 0, tag + 1));
            Assert.Equal(Jobs.Pattern(large.Length, 3), large);
            world.Send<byte>(Jobs.Pattern(100, 4), 0, 7);
        }, policy);
    }

    [Fact]
    public void TruncationCountsTheBufferInBytesForWiderTypes()
    {
        Jobs.Run(2, world =>
        {
            if (world.Rank == 0)
            {
                world.Send<int>(new int[5], 1, 0);
                world.Send<int>(new int[5], 1, 0);
                return;
            }
            var error = Assert.Throws<MessageTruncatedException>(() => world.Recv<int>(new int[4], 0, 0));
            Assert.Contains("20 bytes", error.Message);
            Assert.Contains("16-byte", error.Message);
            Assert.Equal(new Status(0, 0, 5), world.Recv<int>(new int[5], 0, 0));
        });
    }

    [Fact]
    public void TruncatedSendToSelfThrowsAndLaterSelfMessagesArrive()
    {
        Jobs.Run(1, world =>
        {
            world.Send<byte>(Jobs.Pattern(200, 1), 0, 0);
            world.Send<byte>(Jobs.Pattern(200, 2), 0, 0);
            var error = Assert.Throws<MessageTruncatedException>(() => world.Recv<byte>(new byte[10], 0, 0));
            Assert.Contains("200 bytes", error.Message);
            Assert.Contains("10-byte", error.Message);
            var buffer = new byte[200];
            world.Recv<byte>(buffer, 0, 0);
            Assert.Equal(Jobs.Pattern(200, 2), buffer);
        });
    }
}
