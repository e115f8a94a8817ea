namespace Cosched.Messaging.Tests.PointToPoint;

/// <summary>Probe and Iprobe: they report a pending message (count in elements of the probe's type)
/// without receiving it.</summary>
[Collection(JobCollection.Name)]
public class ProbeTests
{
    public static TheoryData<ChannelPolicy, int> Cases()
    {
        var data = new TheoryData<ChannelPolicy, int>();
        foreach (var policy in new[] { ChannelPolicy.Locality, ChannelPolicy.Network })
            foreach (int count in new[] { 0, 3, Jobs.Eager / 8, Jobs.Eager / 8 + 1, 100_000 })
                data.Add(policy, count);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ProbeCountsElementsAndDoesNotConsume(ChannelPolicy policy, int count)
    {
        Jobs.Run(2, world =>
        {
            if (world.Rank == 0)
            {
                var data = new long[count];
                for (int i = 0; i < count; i++) data[i] = i * 31L;
                world.Barrier();
                world.Send<long>(data, 1, 11);
                world.Send(-1L, 1, 12);
                return;
            }
            // Nothing was sent before the barrier, so nothing can be found.
            Assert.False(world.Iprobe(0, 11, out var none));
            Assert.Equal(default, none);
            world.Barrier();

            var status = world.Probe<long>(0, 11);
            Assert.Equal(new Status(0, 11, count), status);
            Assert.Equal(new Status(0, 11, 8L * count), world.Probe(Communicator.AnySource, Communicator.AnyTag));
            Assert.True(world.Iprobe<int>(0, Communicator.AnyTag, out var asInts));
            Assert.Equal(new Status(0, 11, 2L * count), asInts);
            // Probing again still finds the same first message, not the one behind it.
            Assert.True(world.Iprobe<long>(Communicator.AnySource, 11, out var again));
            Assert.Equal(status, again);

            // The usual pattern: size the buffer from the probe, then receive exactly that.
            var buffer = new long[status.Count];
            Assert.Equal(status, world.Recv<long>(buffer, status.Source, status.Tag));
            for (int i = 0; i < count; i++) Assert.Equal(i * 31L, buffer[i]);

            Assert.Equal(new Status(0, 12, 1), world.Probe<long>(0, Communicator.AnyTag));
            Assert.Equal(-1L, world.Recv<long>(0, 12));
            Assert.False(world.Iprobe(Communicator.AnySource, Communicator.AnyTag, out _));
        }, policy);
    }

    [Fact]
    public void ProbeWaitsForAMessageThatIsNotThereYet()
    {
        Jobs.Run(2, world =>
        {
            if (world.Rank == 0)
            {
                Thread.Sleep(100);
                world.Send(42, 1, 3);
                return;
            }
            Assert.Equal(new Status(0, 3, 1), world.Probe<int>(Communicator.AnySource, 3));
            Assert.Equal(42, world.Recv<int>(0, 3));
        });
    }

    [Fact]
    public void ProbeSeesMessagesFromSelf()
    {
        Jobs.Run(2, world =>
        {
            world.Send<short>(new short[] { 1, 2, 3 }, world.Rank, 8);
            Assert.True(world.Iprobe<short>(Communicator.AnySource, Communicator.AnyTag, out var status));
            Assert.Equal(new Status(world.Rank, 8, 3), status);
            var buffer = new short[3];
            world.Recv<short>(buffer, world.Rank, 8);
            Assert.Equal(new short[] { 1, 2, 3 }, buffer);
        });
    }
}
