namespace Cosched.Messaging.Tests;

[Collection(PointToPoint.JobCollection.Name)]
public class PointToPointTests
{
    public static TheoryData<ChannelPolicy> Policies => new() { ChannelPolicy.Locality, ChannelPolicy.Network };

    [Theory]
    [MemberData(nameof(Policies))]
    public void MessagesArriveIntactForEverySize(ChannelPolicy policy)
    {
        int[] sizes = [0, 1, 7, 8, 100, 4096, 16 * 1024, 16 * 1024 + 1, 100_000, 1 << 20];
        InProcessJob.Run(2, world =>
        {
            foreach (int size in sizes)
            {
                if (world.Rank == 0)
                {
                    var data = Pattern(size, seed: size);
                    world.Send<byte>(data, 1, tag: size % 1000);
                }
                else
                {
                    var buffer = new byte[size + 3];
                    var status = world.Recv<byte>(buffer, 0, size % 1000);
                    Assert.Equal(new Status(0, size % 1000, size), status);
                    Assert.Equal(Pattern(size, seed: size), buffer[..size]);
                }
            }
        }, policy);
    }

    internal static byte[] Pattern(int size, int seed)
    {
        var data = new byte[size];
        new Random(seed).NextBytes(data);
        return data;
    }
}
