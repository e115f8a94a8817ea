using Cosched.Messaging.Protocol;

namespace Cosched.Messaging.Tests.PointToPoint;

/// <summary>Runs in-process jobs for the point-to-point tests with a short timeout, so a hang
/// fails the test instead of the whole run, and names the sizes around the protocol switch.</summary>
internal static class Jobs
{
    public static void Run(int ranks, Action<Communicator> body, ChannelPolicy policy = ChannelPolicy.Locality, int timeoutSeconds = 30) =>
        InProcessJob.Run(ranks, body, policy, TimeSpan.FromSeconds(timeoutSeconds));

    /// <summary>Largest message sent eagerly (one frame); one byte more goes by rendezvous.</summary>
    public static int Eager => Engine.EagerLimit;

    public static TheoryData<ChannelPolicy> Policies => new() { ChannelPolicy.Locality, ChannelPolicy.Network };

    /// <summary>Random bytes that differ for every seed, so a message is recognised by its contents.</summary>
    public static byte[] Pattern(int size, int seed) => PointToPointTests.Pattern(size, seed);

    /// <summary>Ints that start with (source, tag, sequence) and continue with a seeded pattern.</summary>
    public static int[] Stamped(int count, int source, int tag, int sequence)
    {
        var data = new int[count];
        var random = new Random(unchecked(source * 1_000_003 + tag * 7919 + sequence));
        for (int i = 0; i < count; i++) data[i] = random.Next();
        if (count > 0) data[0] = source;
        if (count > 1) data[1] = tag;
        if (count > 2) data[2] = sequence;
        return data;
    }
}

/// <summary>Multi-rank tests run one at a time: each starts several busy threads on a 2-core machine.</summary>
[CollectionDefinition(Name)]
public sealed class JobCollection
{
    public const string Name = "PointToPoint jobs";
}
