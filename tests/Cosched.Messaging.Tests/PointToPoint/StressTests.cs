using System.Diagnostics;
using Xunit.Abstractions;

namespace Cosched.Messaging.Tests.PointToPoint;

/// <summary>Every rank sends to every other rank many messages of random sizes (mostly small, some
/// rendezvous-sized up to 256 KiB) and random tags, all at once, with windows of outstanding Isends
/// and wildcard Irecvs. Each receive is checked against the sender's plan: contents, size, and the
/// order of messages per (source, tag).</summary>
[Collection(JobCollection.Name)]
public class StressTests(ITestOutputHelper output)
{
    private const int MaxSize = 256 * 1024;
    private const int Tags = 8;

    /// <summary>Message contents are slices of one random pool, at an offset that depends on the
    /// message, so senders need no copies and a misplaced chunk is caught.</summary>
    private static readonly byte[] Pool = Jobs.Pattern(1 << 20, 12345);

    [Fact]
    public void FourRanksExchangeAHundredThousandMessagesOverSharedMemory() =>
        RunExchange(4, 100_000, ChannelPolicy.Locality, seed: 1, sendWindow: 32, receiveWindow: 16);

    [Fact]
    public void FourRanksExchangeMessagesOverTcp() =>
        RunExchange(4, 30_000, ChannelPolicy.Network, seed: 2, sendWindow: 32, receiveWindow: 16);

    [Theory]
    [MemberData(nameof(Jobs.Policies), MemberType = typeof(Jobs))]
    public void FourRanksReceiveWhatTheyProbe(ChannelPolicy policy) =>
        RunExchange(4, 20_000, policy, seed: 4, sendWindow: 32, receiveWindow: 0);

    [Fact]
    public void EightRanksOnTwoCoresExchangeMessagesQuickly()
    {
        var clock = Stopwatch.StartNew();
        RunExchange(8, 8 * 7 * 400, ChannelPolicy.Locality, seed: 3, sendWindow: 8, receiveWindow: 4);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"8 ranks on {Environment.ProcessorCount} cores took {clock.Elapsed.TotalSeconds:F1} s");
    }

    [Fact]
    public void EightRanksOnTwoCoresPassATokenQuickly()
    {
        // Each hop wakes a rank that is most likely asleep: idle ranks must yield and sleep, not spin.
        const int rounds = 200;
        var clock = Stopwatch.StartNew();
        Jobs.Run(8, world =>
        {
            int right = (world.Rank + 1) % world.Size, left = (world.Rank + world.Size - 1) % world.Size;
            for (int round = 0; round < rounds; round++)
            {
                if (world.Rank == 0)
                {
                    world.Send(round, right, 0);
                    Assert.Equal(round + world.Size - 1, world.Recv<int>(left, 0));
                }
                else world.Send(world.Recv<int>(left, 0) + 1, right, 0);
            }
        }, timeoutSeconds: 60);
        output.WriteLine($"{rounds * 8} hops on {Environment.ProcessorCount} cores: {clock.Elapsed.TotalMilliseconds:F0} ms");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"{rounds * 8} token hops among 8 ranks took {clock.Elapsed.TotalSeconds:F1} s");
    }

    private readonly record struct Message(int Tag, int Size, int Offset);

    private static Message[] Plan(int source, int dest, int count, int seed)
    {
        var random = new Random(seed * 1_000_003 + source * 131 + dest);
        var plan = new Message[count];
        for (int i = 0; i < count; i++)
        {
            int roll = random.Next(1000);
            int size = roll < 900 ? random.Next(0, 257)
                : roll < 980 ? random.Next(257, Jobs.Eager + 1)
                : random.Next(Jobs.Eager + 1, MaxSize + 1);
            plan[i] = new Message(random.Next(Tags), size, random.Next(Pool.Length - MaxSize));
        }
        return plan;
    }

    /// <summary>With a receive window, receives are wildcard Irecvs posted ahead; without one, each
    /// message is found with Iprobe(AnySource, AnyTag) and received by its source and tag into a
    /// buffer of exactly the probed size.</summary>
    private void RunExchange(int ranks, int total, ChannelPolicy policy, int seed, int sendWindow, int receiveWindow)
    {
        int perPair = total / (ranks * (ranks - 1));
        var clock = Stopwatch.StartNew();
        long[] bytes = new long[ranks];
        Jobs.Run(ranks, world =>
        {
            int me = world.Rank;
            var outgoing = new Message[ranks][];
            var incoming = new Message[ranks][];
            var pending = new Queue<int>[ranks, Tags];
            for (int r = 0; r < ranks; r++)
            {
                if (r == me) continue;
                outgoing[r] = Plan(me, r, perPair, seed);
                incoming[r] = Plan(r, me, perPair, seed);
                for (int t = 0; t < Tags; t++) pending[r, t] = new Queue<int>();
                for (int i = 0; i < perPair; i++) pending[r, incoming[r][i].Tag].Enqueue(i);
            }
            var order = new List<int>();
            for (int r = 0; r < ranks; r++)
                if (r != me) order.AddRange(Enumerable.Repeat(r, perPair));
            new Random(seed + me).Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(order));

            var nextIndex = new int[ranks];
            int sent = 0, posted = 0, received = 0, expected = perPair * (ranks - 1);
            var sends = new List<Request>();
            var receives = new Queue<(Request Request, byte[] Buffer)>();
            var freeBuffers = new Stack<byte[]>();
            for (int i = 0; i < Math.Max(receiveWindow, 1); i++) freeBuffers.Push(new byte[MaxSize]);
            bool probing = receiveWindow == 0;

            while (received < expected || sent < order.Count || sends.Count > 0)
            {
                bool moved = false;
                while (sends.Count < sendWindow && sent < order.Count)
                {
                    int dest = order[sent++];
                    var m = outgoing[dest][nextIndex[dest]++];
                    sends.Add(world.Isend<byte>(Pool.AsMemory(m.Offset, m.Size), dest, m.Tag));
                    bytes[me] += m.Size;
                    moved = true;
                }
                while (receives.Count < receiveWindow && posted < expected)
                {
                    var buffer = freeBuffers.Pop();
                    receives.Enqueue((world.Irecv<byte>(buffer, Communicator.AnySource, Communicator.AnyTag), buffer));
                    posted++;
                }
                while (probing && received < expected && world.Iprobe(Communicator.AnySource, Communicator.AnyTag, out var probed))
                {
                    var buffer = freeBuffers.Peek();
                    var status = world.Recv<byte>(buffer.AsSpan(0, (int)probed.Count), probed.Source, probed.Tag);
                    if (status != probed) Assert.Fail($"rank {me}: probed {probed}, received {status}");
                    Verify(status, buffer, incoming, pending, me);
                    received++;
                    moved = true;
                }
                // Receives are checked in posting order: that is the order they matched messages in.
                while (receives.Count > 0 && receives.Peek().Request.Test(out var status))
                {
                    var (_, buffer) = receives.Dequeue();
                    Verify(status, buffer, incoming, pending, me);
                    freeBuffers.Push(buffer);
                    received++;
                    moved = true;
                }
                if (sends.RemoveAll(r => r.IsCompleted) > 0) moved = true;
                if (!moved)
                {
                    var waitOn = new List<Request>(sends);
                    if (receives.Count > 0) waitOn.Add(receives.Peek().Request);
                    if (waitOn.Count > 0) Communicator.WaitAny(waitOn.ToArray(), out _);
                    else if (probing && received < expected) world.Probe(Communicator.AnySource, Communicator.AnyTag);
                }
            }
            for (int r = 0; r < ranks; r++)
                for (int t = 0; t < Tags && r != me; t++)
                    if (pending[r, t].Count != 0) Assert.Fail($"rank {me}: {pending[r, t].Count} messages from rank {r} with tag {t} never arrived");
        }, policy, timeoutSeconds: 120);
        output.WriteLine($"{ranks} ranks, {perPair * ranks * (ranks - 1)} messages, {bytes.Sum() / 1e6:F0} MB over {policy}: {clock.Elapsed.TotalSeconds:F2} s");
    }

    private static void Verify(Status status, byte[] buffer, Message[][] incoming, Queue<int>[,] pending, int me)
    {
        if ((uint)status.Source >= (uint)incoming.Length || incoming[status.Source] == null || (uint)status.Tag >= Tags)
            Assert.Fail($"rank {me}: unexpected status {status}");
        var queue = pending[status.Source, status.Tag];
        if (queue.Count == 0) Assert.Fail($"rank {me}: one message too many from rank {status.Source} with tag {status.Tag}");
        int index = queue.Dequeue();
        var m = incoming[status.Source][index];
        if (status.Count != m.Size)
            Assert.Fail($"rank {me}: message {index} from rank {status.Source} (tag {status.Tag}) has {status.Count} bytes, expected {m.Size}: out of order?");
        if (!buffer.AsSpan(0, m.Size).SequenceEqual(Pool.AsSpan(m.Offset, m.Size)))
            Assert.Fail($"rank {me}: message {index} from rank {status.Source} (tag {status.Tag}, {m.Size} bytes) has wrong contents");
    }
}
