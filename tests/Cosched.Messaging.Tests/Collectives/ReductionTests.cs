
namespace Cosched.Messaging.Tests.Collectives;

/// <summary>Reduce, Allreduce, ReduceScatter(Block), Scan and Exscan under every algorithm on 1 to 8
/// ranks, for several element types and every operator, against a sequential rank-order reference.</summary>
[Collection(CollectiveCollection.Name)]
public class ReductionTests
{
    private static readonly int[] SmallCounts = [0, 1, 3, 17, 100];
    /// <summary>About 4 KiB, 100 KiB and 1 MiB of ints.</summary>
    private static readonly int[] LargeIntCounts = [1025, 25_000, 262_144];
    private static readonly int[] LargeDoubleCounts = [4099, 131_072];

    public static TheoryData<string, int> ReduceCases => Kit.Cases("reduce");
    public static TheoryData<string, int> AllreduceCases => Kit.Cases("allreduce");
    public static TheoryData<string, int> ReduceScatterCases => Kit.Cases("reduce-scatter");
    public static TheoryData<string, int> ReduceScatterBlockCases => Kit.Cases("reduce-scatter-block");
    public static TheoryData<string, int> ScanCases => Kit.Cases("scan");
    public static TheoryData<string, int> ExscanCases => Kit.Cases("exscan");

    /// <summary>A step for each operator and size of every type: the cases all reductions share.</summary>
    private static List<Action<Communicator>> Steps(int p, string collective, Func<string, int, IStepFactory> factory)
    {
        var steps = new List<Action<Communicator>>();
        int seed = 1;
        void Add<T>(OpCase<T> op, int count, Func<int, int, int, T[]> make) where T : unmanaged
        {
            var inputs = Kit.PerRank(p, r => make(r, count, seed));
            steps.Add(factory($"{collective} {typeof(T).Name} {op.Name} x{count} on {p} ranks", seed).Step(op, inputs));
            seed++;
        }
        foreach (var op in Kit.IntOps())
            foreach (int count in SmallCounts) Add(op, count, Kit.Ints);
        foreach (int count in LargeIntCounts) Add(Kit.IntOps().First(), count, Kit.Ints);
        foreach (var op in Kit.DoubleOps())
            foreach (int count in SmallCounts) Add(op, count, (r, n, s) => Kit.Values(r, n, s, v => (double)v));
        foreach (int count in LargeDoubleCounts) Add(Kit.DoubleOps().First(), count, (r, n, s) => Kit.Values(r, n, s, v => (double)v));
        foreach (var op in Kit.LongOps()) Add(op, 33, (r, n, s) => Kit.Values(r, n, s, v => (long)v * 1_000_000_007L));
        foreach (var op in Kit.ByteOps())
            foreach (int count in new[] { 1, 31, 257 }) Add(op, count, (r, n, s) => Kit.Bytes(r, n, s));
        foreach (int count in new[] { 0, 1, 5, 64, 1000 }) Add(Kit.MatrixProduct, count, Kit.Matrices);
        return steps;
    }

    /// <summary>Makes the step of one case for one collective (generic over the element type).</summary>
    private interface IStepFactory
    {
        Action<Communicator> Step<T>(OpCase<T> op, T[][] inputs) where T : unmanaged;
    }

    [Theory]
    [MemberData(nameof(AllreduceCases))]
    public void AllreduceMatchesTheReference(string algorithm, int ranks) =>
        Kit.Run("allreduce", algorithm, ranks, Steps(ranks, "allreduce", (label, seed) => new AllreduceStep(label, seed % 3 == 0)));

    public static TheoryData<string> Placements => Kit.Placements();

    /// <summary>Two-level allreduce with the ranks in several "VMs"; for operators that are not commutative
    /// it runs only on groups of consecutive ranks, and the others must fall back to a flat algorithm.</summary>
    [Theory]
    [MemberData(nameof(Placements))]
    public void TwoLevelAllreduceMatchesTheReferenceAcrossVms(string placement)
    {
        var vms = Kit.VmOfRank(placement);
        Kit.Run("allreduce", "two-level", vms.Length, Steps(vms.Length, "allreduce", (label, seed) => new AllreduceStep(label, seed % 3 == 0)),
            ChannelPolicy.PerVm, vms);
    }

    private sealed record AllreduceStep(string Label, bool InPlace) : IStepFactory
    {
        public Action<Communicator> Step<T>(OpCase<T> op, T[][] inputs) where T : unmanaged
        {
            var expected = Kit.Fold(inputs, 0, inputs.Length, op.Scalar);
            return world =>
            {
                var mine = inputs[world.Rank];
                T[] result;
                if (InPlace)
                {
                    result = (T[])mine.Clone();
                    world.Allreduce<T>(result, op.Op);
                }
                else
                {
                    result = new T[mine.Length];
                    world.Allreduce<T>(mine, result, op.Op);
                }
                Kit.Equal<T>(expected, result, $"{Label}{(InPlace ? " in place" : "")}, rank {world.Rank}");
            };
        }
    }

    [Theory]
    [MemberData(nameof(ReduceCases))]
    public void ReduceMatchesTheReference(string algorithm, int ranks) =>
        Kit.Run("reduce", algorithm, ranks, Steps(ranks, "reduce", (label, seed) => new ReduceStep(label, (seed * 5) % ranks, seed % 4 == 0)));

    /// <summary>Two-level reduce with the ranks in several "VMs", rooted everywhere (in and out of a group's lead).</summary>
    [Theory]
    [MemberData(nameof(Placements))]
    public void TwoLevelReduceMatchesTheReferenceAcrossVms(string placement)
    {
        var vms = Kit.VmOfRank(placement);
        int ranks = vms.Length;
        Kit.Run("reduce", "two-level", ranks, Steps(ranks, "reduce", (label, seed) => new ReduceStep(label, (seed * 5) % ranks, seed % 4 == 0)),
            ChannelPolicy.PerVm, vms);
    }

    private sealed record ReduceStep(string Label, int Root, bool InPlace) : IStepFactory
    {
        public Action<Communicator> Step<T>(OpCase<T> op, T[][] inputs) where T : unmanaged
        {
            var expected = Kit.Fold(inputs, 0, inputs.Length, op.Scalar);
            string label = $"{Label}, root {Root}{(InPlace ? " in place" : "")}";
            return world =>
            {
                var mine = inputs[world.Rank];
                if (InPlace)
                {
                    var buffer = (T[])mine.Clone();
                    world.Reduce<T>(buffer, op.Op, Root);
                    Kit.Equal<T>(world.Rank == Root ? expected : mine, buffer, $"{label}, rank {world.Rank}");
                }
                else if (world.Rank == Root)
                {
                    var result = new T[mine.Length];
                    world.Reduce<T>(mine, result, op.Op, Root);
                    Kit.Equal<T>(expected, result, $"{label}, rank {world.Rank}");
                }
                else world.Reduce<T>(mine, Span<T>.Empty, op.Op, Root);
            };
        }
    }

    [Theory]
    [MemberData(nameof(ScanCases))]
    public void ScanMatchesTheReference(string algorithm, int ranks) =>
        Kit.Run("scan", algorithm, ranks, Steps(ranks, "scan", (label, seed) => new ScanStep(label, Exclusive: false, seed % 3 == 0)));

    [Theory]
    [MemberData(nameof(ExscanCases))]
    public void ExscanMatchesTheReferenceAndLeavesRankZeroAlone(string algorithm, int ranks) =>
        Kit.Run("exscan", algorithm, ranks, Steps(ranks, "exscan", (label, seed) => new ScanStep(label, Exclusive: true, seed % 3 == 0)));

    private sealed record ScanStep(string Label, bool Exclusive, bool InPlace) : IStepFactory
    {
        public Action<Communicator> Step<T>(OpCase<T> op, T[][] inputs) where T : unmanaged
        {
            var expected = new T[inputs.Length][];
            for (int r = 0; r < inputs.Length; r++)
                expected[r] = Exclusive ? (r == 0 ? null! : Kit.Fold(inputs, 0, r, op.Scalar)) : Kit.Fold(inputs, 0, r + 1, op.Scalar);
            return world =>
            {
                int me = world.Rank;
                var mine = inputs[me];
                string label = $"{Label}{(InPlace ? " in place" : "")}, rank {me}";
                T[] result;
                if (InPlace)
                {
                    result = (T[])mine.Clone();
                    if (Exclusive) world.Exscan<T>(result, op.Op);
                    else world.Scan<T>(result, op.Op);
                }
                else
                {
                    result = new T[mine.Length];
                    result.AsSpan().Fill(Sentinel<T>());
                    if (Exclusive) world.Exscan<T>(mine, result, op.Op);
                    else world.Scan<T>(mine, result, op.Op);
                }
                if (Exclusive && me == 0)
                {
                    if (InPlace) Kit.Equal<T>(mine, result, label);
                    else Kit.Untouched<T>(result, Sentinel<T>(), label);
                }
                else Kit.Equal<T>(expected[me], result, label);
            };
        }
    }

    [Theory]
    [MemberData(nameof(ReduceScatterCases))]
    public void ReduceScatterMatchesTheReference(string algorithm, int ranks) =>
        Kit.Run("reduce-scatter", algorithm, ranks, Steps(ranks, "reduce-scatter", (label, seed) => new ReduceScatterStep(label, Block: false, seed)));

    [Theory]
    [MemberData(nameof(ReduceScatterBlockCases))]
    public void ReduceScatterBlockMatchesTheReference(string algorithm, int ranks) =>
        Kit.Run("reduce-scatter-block", algorithm, ranks, Steps(ranks, "reduce-scatter-block", (label, seed) => new ReduceScatterStep(label, Block: true, seed)));

    /// <summary>The case's count is split into p blocks: equal ones (Block), or uneven ones with some empty.</summary>
    private sealed record ReduceScatterStep(string Label, bool Block, int Seed) : IStepFactory
    {
        public Action<Communicator> Step<T>(OpCase<T> op, T[][] inputs) where T : unmanaged
        {
            int p = inputs.Length, count = inputs[0].Length;
            var counts = new int[p];
            // Keep the whole vector near the case's size: blocks of count/p (whole count when small).
            if (Block) Array.Fill(counts, count < p ? count : count / p);
            else
            {
                // Uneven blocks, some empty, adding up to count.
                var random = new Random(Seed);
                int left = count;
                for (int r = 0; r < p - 1; r++)
                {
                    counts[r] = random.Next(3) == 0 ? 0 : random.Next(left + 1) / 2;
                    left -= counts[r];
                }
                counts[p - 1] = left;
            }
            int total = counts.Sum();
            // Block mode needs p blocks of `count`: repeat the inputs.
            var sends = new T[p][];
            for (int r = 0; r < p; r++)
            {
                sends[r] = new T[total];
                for (int i = 0; i < total; i++) sends[r][i] = inputs[r][count == 0 ? 0 : i % count];
            }
            var full = total == 0 ? [] : Kit.Fold(sends, 0, p, op.Scalar);
            return world =>
            {
                int me = world.Rank, offset = counts.Take(me).Sum();
                var result = new T[counts[me]];
                if (Block) world.ReduceScatterBlock<T>(sends[me], result, op.Op);
                else world.ReduceScatter<T>(sends[me], result, counts, op.Op);
                Kit.Equal<T>(full.AsSpan(offset, counts[me]), result, $"{Label} blocks [{string.Join(",", counts)}], rank {me}");
            };
        }
    }

    private static T Sentinel<T>() where T : unmanaged
    {
        T value = default;
        System.Runtime.InteropServices.MemoryMarshal.AsBytes(new Span<T>(ref value)).Fill(0x5A);
        return value;
    }
}
