
namespace Cosched.Messaging.Tests.Collectives;

/// <summary>Barrier, Bcast, Gather(v), Scatter(v), Allgather(v) and Alltoall(v) under every algorithm
/// on 1 to 8 ranks, from empty messages to 1 MiB, against the layout MPI defines.</summary>
[Collection(CollectiveCollection.Name)]
public class DataMovementTests
{
    /// <summary>Ints per block: empty, tiny, odd, about 4 KiB and 100 KiB; plus 1 MiB in all, added per test.</summary>
    private static readonly int[] Blocks = [0, 1, 3, 1025, 25_000];
    private const int MiBOfInts = 262_144;

    public static TheoryData<string, int> BarrierCases => Kit.Cases("barrier");
    public static TheoryData<string, int> BcastCases => Kit.Cases("bcast");
    public static TheoryData<string, int> GatherCases => Kit.Cases("gather");
    public static TheoryData<string, int> GathervCases => Kit.Cases("gatherv");
    public static TheoryData<string, int> ScatterCases => Kit.Cases("scatter");
    public static TheoryData<string, int> ScattervCases => Kit.Cases("scatterv");
    public static TheoryData<string, int> AllgatherCases => Kit.Cases("allgather");
    public static TheoryData<string, int> AllgathervCases => Kit.Cases("allgatherv");
    public static TheoryData<string, int> AlltoallCases => Kit.Cases("alltoall");
    public static TheoryData<string, int> AlltoallvCases => Kit.Cases("alltoallv");

    private static int[] Roots(int p) => new[] { 0, p - 1, p / 2 }.Distinct().ToArray();

    /// <summary>The block sizes of a test, ending with one that makes about 1 MiB in all.</summary>
    private static IEnumerable<int> BlockSizes(int p) => Blocks.Append(MiBOfInts / p);

    [Theory]
    [MemberData(nameof(BarrierCases))]
    public void NoRankLeavesTheBarrierBeforeAllArrived(string algorithm, int ranks) =>
        Kit.Run("barrier", algorithm, ranks, BarrierSteps(ranks));

    public static TheoryData<string> Placements => Kit.Placements();

    [Theory]
    [MemberData(nameof(Placements))]
    public void TwoLevelBarrierHoldsEveryRankAcrossVms(string placement)
    {
        var vms = Kit.VmOfRank(placement);
        Kit.Run("barrier", "two-level", vms.Length, BarrierSteps(vms.Length), ChannelPolicy.PerVm, vms);
    }

    private static List<Action<Communicator>> BarrierSteps(int ranks)
    {
        const int rounds = 30;
        int arrived = 0;
        var steps = new List<Action<Communicator>>();
        for (int round = 1; round <= rounds; round++)
        {
            int expected = round * ranks;
            steps.Add(world =>
            {
                // Stagger arrivals so a broken barrier would let an early rank through.
                if ((world.Rank + expected) % 3 == 0) Thread.Sleep(1);
                Interlocked.Increment(ref arrived);
                world.Barrier();
                int seen = Volatile.Read(ref arrived);
                if (seen < expected) throw new Xunit.Sdk.XunitException($"barrier round {expected / ranks}: rank {world.Rank} left after {seen} of {expected} arrivals");
            });
        }
        return steps;
    }

    [Theory]
    [MemberData(nameof(BcastCases))]
    public void BcastDeliversTheRootsBuffer(string algorithm, int ranks) => Kit.Run("bcast", algorithm, ranks, BcastSteps(ranks));

    [Theory]
    [MemberData(nameof(Placements))]
    public void TwoLevelBcastDeliversFromEveryRootAcrossVms(string placement)
    {
        var vms = Kit.VmOfRank(placement);
        Kit.Run("bcast", "two-level", vms.Length, BcastSteps(vms.Length), ChannelPolicy.PerVm, vms);
    }

    private static List<Action<Communicator>> BcastSteps(int ranks)
    {
        var steps = new List<Action<Communicator>>();
        int seed = 0;
        foreach (int bytes in new[] { 0, 1, 7, 1000, 4099, 100_000, 1 << 20 })
        {
            foreach (int root in Roots(ranks))
            {
                var data = Kit.Bytes(root, bytes, ++seed);
                string label = $"bcast of {bytes} bytes from {root} on {ranks} ranks";
                steps.Add(world =>
                {
                    var buffer = world.Rank == root ? (byte[])data.Clone() : new byte[bytes];
                    world.Bcast<byte>(buffer, root);
                    Kit.Equal<byte>(data, buffer, $"{label}, rank {world.Rank}");
                });
            }
        }
        var doubles = Kit.Values(0, 999, 77, v => v * 0.5);
        steps.Add(world =>
        {
            var buffer = world.Rank == ranks - 1 ? (double[])doubles.Clone() : new double[doubles.Length];
            world.Bcast<double>(buffer, ranks - 1);
            Kit.Equal<double>(doubles, buffer, $"bcast of doubles, rank {world.Rank}");
            var matrix = world.Bcast(world.Rank == 0 ? new Mat2(1, 2, 3, 4) : default, 0);
            Kit.Equal<Mat2>([new Mat2(1, 2, 3, 4)], [matrix], $"bcast of one value, rank {world.Rank}");
        });
        return steps;
    }

    [Theory]
    [MemberData(nameof(GatherCases))]
    public void GatherCollectsBlocksInRankOrder(string algorithm, int ranks)
    {
        var steps = new List<Action<Communicator>>();
        int seed = 0;
        foreach (int block in BlockSizes(ranks))
        {
            foreach (int root in Roots(ranks))
            {
                var inputs = Kit.PerRank(ranks, r => Kit.Ints(r, block, seed));
                var expected = inputs.SelectMany(x => x).ToArray();
                bool inPlace = ++seed % 2 == 0;
                string label = $"gather of {block} ints to {root} on {ranks} ranks{(inPlace ? " in place" : "")}";
                steps.Add(world =>
                {
                    int me = world.Rank;
                    if (me != root)
                    {
                        world.Gather<int>(inputs[me], Span<int>.Empty, root);
                        return;
                    }
                    var receive = new int[block * ranks];
                    if (inPlace)
                    {
                        inputs[me].CopyTo(receive, me * block);
                        world.Gather<int>(receive.AsSpan(me * block, block), receive, root);
                    }
                    else world.Gather<int>(inputs[me], receive, root);
                    Kit.Equal<int>(expected, receive, $"{label}, rank {me}");
                });
            }
        }
        Kit.Run("gather", algorithm, ranks, steps);
    }

    [Theory]
    [MemberData(nameof(ScatterCases))]
    public void ScatterHandsOutBlocksInRankOrder(string algorithm, int ranks)
    {
        var steps = new List<Action<Communicator>>();
        int seed = 0;
        foreach (int block in BlockSizes(ranks))
        {
            foreach (int root in Roots(ranks))
            {
                var all = Kit.Ints(root, block * ranks, seed);
                bool inPlace = ++seed % 2 == 0;
                string label = $"scatter of {block} ints from {root} on {ranks} ranks{(inPlace ? " in place" : "")}";
                steps.Add(world =>
                {
                    int me = world.Rank;
                    var expected = all.AsSpan(me * block, block);
                    if (me == root && inPlace)
                    {
                        var send = (int[])all.Clone();
                        world.Scatter<int>(send, send.AsSpan(me * block, block), root);
                        Kit.Equal<int>(all, send, $"{label}, rank {me}");
                        return;
                    }
                    var receive = new int[block];
                    world.Scatter<int>(me == root ? all : ReadOnlySpan<int>.Empty, receive, root);
                    Kit.Equal<int>(expected, receive, $"{label}, rank {me}");
                });
            }
        }
        Kit.Run("scatter", algorithm, ranks, steps);
    }

    [Theory]
    [MemberData(nameof(AllgatherCases))]
    public void AllgatherGivesEveryRankAllBlocks(string algorithm, int ranks) => Kit.Run("allgather", algorithm, ranks, AllgatherSteps(ranks));

    [Theory]
    [MemberData(nameof(Placements))]
    public void TwoLevelAllgatherGivesEveryRankAllBlocksAcrossVms(string placement)
    {
        var vms = Kit.VmOfRank(placement);
        Kit.Run("allgather", "two-level", vms.Length, AllgatherSteps(vms.Length), ChannelPolicy.PerVm, vms);
    }

    private static List<Action<Communicator>> AllgatherSteps(int ranks)
    {
        var steps = new List<Action<Communicator>>();
        int seed = 0;
        foreach (int block in BlockSizes(ranks))
        {
            var inputs = Kit.PerRank(ranks, r => Kit.Ints(r, block, seed));
            var expected = inputs.SelectMany(x => x).ToArray();
            bool inPlace = ++seed % 2 == 0;
            string label = $"allgather of {block} ints on {ranks} ranks{(inPlace ? " in place" : "")}";
            steps.Add(world =>
            {
                int me = world.Rank;
                var receive = new int[block * ranks];
                if (inPlace)
                {
                    inputs[me].CopyTo(receive, me * block);
                    world.Allgather<int>(receive);
                }
                else world.Allgather<int>(inputs[me], receive);
                Kit.Equal<int>(expected, receive, $"{label}, rank {me}");
            });
        }
        var bytes = Kit.PerRank(ranks, r => Kit.Bytes(r, 5, 99));
        steps.Add(world =>
        {
            var receive = new byte[5 * ranks];
            world.Allgather<byte>(bytes[world.Rank], receive);
            Kit.Equal<byte>(bytes.SelectMany(x => x).ToArray(), receive, $"allgather of 5 bytes, rank {world.Rank}");
        });
        return steps;
    }

    [Theory]
    [MemberData(nameof(AlltoallCases))]
    public void AlltoallTransposesTheBlocks(string algorithm, int ranks)
    {
        var steps = new List<Action<Communicator>>();
        int seed = 0;
        foreach (int block in new[] { 0, 1, 3, 100, 1025, MiBOfInts / ranks / ranks, MiBOfInts / ranks })
        {
            var inputs = Kit.PerRank(ranks, r => Kit.Ints(r, block * ranks, seed));
            seed++;
            string label = $"alltoall of {block} ints per pair on {ranks} ranks";
            steps.Add(world =>
            {
                int me = world.Rank;
                var receive = new int[block * ranks];
                world.Alltoall<int>(inputs[me], receive);
                for (int from = 0; from < ranks; from++)
                    Kit.Equal<int>(inputs[from].AsSpan(me * block, block), receive.AsSpan(from * block, block), $"{label}, rank {me}, block from {from}");
            });
        }
        var doubles = Kit.PerRank(ranks, r => Kit.Values(r, 7 * ranks, 5, v => v + 0.25));
        steps.Add(world =>
        {
            int me = world.Rank;
            var receive = new double[7 * ranks];
            world.Alltoall<double>(doubles[me], receive);
            for (int from = 0; from < ranks; from++)
                Kit.Equal<double>(doubles[from].AsSpan(me * 7, 7), receive.AsSpan(from * 7, 7), $"alltoall of doubles, rank {me}, block from {from}");
        });
        Kit.Run("alltoall", algorithm, ranks, steps);
    }

    /// <summary>Uneven block sizes (some empty) laid out in reverse rank order with gaps, so no
    /// algorithm can get away with assuming packed, ordered blocks.</summary>
    private static (int[] Counts, int[] Displacements, int Length) Layout(int ranks, int scale, int seed)
    {
        var random = new Random(seed);
        var counts = new int[ranks];
        for (int r = 0; r < ranks; r++) counts[r] = random.Next(4) == 0 ? 0 : random.Next(1, scale + 1);
        var displacements = new int[ranks];
        int offset = 0;
        for (int r = ranks - 1; r >= 0; r--)
        {
            offset += 2;
            displacements[r] = offset;
            offset += counts[r];
        }
        return (counts, displacements, offset + 3);
    }

    private static readonly int[] Scales = [1, 5, 3000, 60_000];

    [Theory]
    [MemberData(nameof(GathervCases))]
    public void GathervPlacesBlocksAtTheirDisplacements(string algorithm, int ranks)
    {
        var steps = new List<Action<Communicator>>();
        int seed = 0;
        foreach (int scale in Scales)
        {
            foreach (int root in Roots(ranks))
            {
                var (counts, displacements, length) = Layout(ranks, scale, ++seed);
                var inputs = Kit.PerRank(ranks, r => Kit.Ints(r, counts[r], seed));
                var expected = new int[length];
                Array.Fill(expected, -99);
                for (int r = 0; r < ranks; r++) inputs[r].CopyTo(expected, displacements[r]);
                string label = $"gatherv [{string.Join(",", counts)}] to {root} on {ranks} ranks";
                steps.Add(world =>
                {
                    int me = world.Rank;
                    if (me != root)
                    {
                        world.Gatherv<int>(inputs[me], Span<int>.Empty, ReadOnlySpan<int>.Empty, ReadOnlySpan<int>.Empty, root);
                        return;
                    }
                    var receive = new int[length];
                    Array.Fill(receive, -99);
                    world.Gatherv<int>(inputs[me], receive, counts, displacements, root);
                    Kit.Equal<int>(expected, receive, $"{label}, rank {me}");
                });
            }
        }
        Kit.Run("gatherv", algorithm, ranks, steps);
    }

    [Theory]
    [MemberData(nameof(ScattervCases))]
    public void ScattervTakesBlocksFromTheirDisplacements(string algorithm, int ranks)
    {
        var steps = new List<Action<Communicator>>();
        int seed = 0;
        foreach (int scale in Scales)
        {
            foreach (int root in Roots(ranks))
            {
                var (counts, displacements, length) = Layout(ranks, scale, ++seed);
                var send = Kit.Ints(root, length, seed);
                string label = $"scatterv [{string.Join(",", counts)}] from {root} on {ranks} ranks";
                steps.Add(world =>
                {
                    int me = world.Rank;
                    var receive = new int[counts[me]];
                    if (me == root) world.Scatterv<int>(send, counts, displacements, receive, root);
                    else world.Scatterv<int>(ReadOnlySpan<int>.Empty, ReadOnlySpan<int>.Empty, ReadOnlySpan<int>.Empty, receive, root);
                    Kit.Equal<int>(send.AsSpan(displacements[me], counts[me]), receive, $"{label}, rank {me}");
                });
            }
        }
        Kit.Run("scatterv", algorithm, ranks, steps);
    }

    [Theory]
    [MemberData(nameof(AllgathervCases))]
    public void AllgathervPlacesBlocksAtTheirDisplacements(string algorithm, int ranks)
    {
        var steps = new List<Action<Communicator>>();
        int seed = 0;
        foreach (int scale in Scales)
        {
            var (counts, displacements, length) = Layout(ranks, scale, ++seed);
            var inputs = Kit.PerRank(ranks, r => Kit.Ints(r, counts[r], seed));
            var expected = new int[length];
            Array.Fill(expected, -99);
            for (int r = 0; r < ranks; r++) inputs[r].CopyTo(expected, displacements[r]);
            bool inPlace = seed % 2 == 0;
            string label = $"allgatherv [{string.Join(",", counts)}] on {ranks} ranks{(inPlace ? " in place" : "")}";
            steps.Add(world =>
            {
                int me = world.Rank;
                var receive = new int[length];
                Array.Fill(receive, -99);
                if (inPlace)
                {
                    inputs[me].CopyTo(receive, displacements[me]);
                    world.Allgatherv<int>(receive.AsSpan(displacements[me], counts[me]), receive, counts, displacements);
                }
                else world.Allgatherv<int>(inputs[me], receive, counts, displacements);
                Kit.Equal<int>(expected, receive, $"{label}, rank {me}");
            });
        }
        Kit.Run("allgatherv", algorithm, ranks, steps);
    }

    [Theory]
    [MemberData(nameof(AlltoallvCases))]
    public void AlltoallvTransposesUnevenBlocks(string algorithm, int ranks)
    {
        var steps = new List<Action<Communicator>>();
        foreach (int scale in new[] { 1, 7, 2000, 30_000 })
        {
            // count[i, j]: elements rank i sends rank j (some pairs send nothing).
            var count = new int[ranks, ranks];
            var random = new Random(scale);
            for (int i = 0; i < ranks; i++)
                for (int j = 0; j < ranks; j++)
                    count[i, j] = random.Next(5) == 0 ? 0 : random.Next(1, scale + 1);
            var sendCounts = new int[ranks][];
            var sendDisplacements = new int[ranks][];
            var receiveCounts = new int[ranks][];
            var receiveDisplacements = new int[ranks][];
            var sends = new int[ranks][];
            var receiveLength = new int[ranks];
            for (int i = 0; i < ranks; i++)
            {
                sendCounts[i] = Enumerable.Range(0, ranks).Select(j => count[i, j]).ToArray();
                receiveCounts[i] = Enumerable.Range(0, ranks).Select(j => count[j, i]).ToArray();
                // Send blocks packed in reverse order, receive blocks in order with gaps.
                sendDisplacements[i] = new int[ranks];
                int offset = 0;
                for (int j = ranks - 1; j >= 0; j--)
                {
                    sendDisplacements[i][j] = offset;
                    offset += count[i, j];
                }
                sends[i] = Kit.Ints(i, offset, scale);
                receiveDisplacements[i] = new int[ranks];
                offset = 1;
                for (int j = 0; j < ranks; j++)
                {
                    receiveDisplacements[i][j] = offset;
                    offset += count[j, i] + 1;
                }
                receiveLength[i] = offset;
            }
            string label = $"alltoallv up to {scale} ints per pair on {ranks} ranks";
            steps.Add(world =>
            {
                int me = world.Rank;
                var receive = new int[receiveLength[me]];
                world.Alltoallv<int>(sends[me], sendCounts[me], sendDisplacements[me], receive, receiveCounts[me], receiveDisplacements[me]);
                for (int from = 0; from < ranks; from++)
                    Kit.Equal<int>(sends[from].AsSpan(sendDisplacements[from][me], count[from, me]),
                        receive.AsSpan(receiveDisplacements[me][from], count[from, me]), $"{label}, rank {me}, block from {from}");
            });
        }
        Kit.Run("alltoallv", algorithm, ranks, steps);
    }
}
