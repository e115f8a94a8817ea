using Xunit.Sdk;

namespace Cosched.Messaging.Tests.Collectives;

/// <summary>The collective tests force algorithms through the process-wide override, so they run
/// alone, never beside one another.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CollectiveCollection
{
    public const string Name = "Collectives";
}

/// <summary>A 2x2 integer matrix; their product is associative but not commutative, which makes it
/// the test operator for rank order.</summary>
public readonly record struct Mat2(int A, int B, int C, int D)
{
    public static Mat2 operator *(Mat2 x, Mat2 y) => new(
        unchecked(x.A * y.A + x.B * y.C), unchecked(x.A * y.B + x.B * y.D),
        unchecked(x.C * y.A + x.D * y.C), unchecked(x.C * y.B + x.D * y.D));
}

/// <summary>One reduction to test: the operator under test and an independent scalar definition
/// (left operand = lower ranks) for the sequential reference.</summary>
public sealed record OpCase<T>(string Name, ReduceOp<T> Op, Func<T, T, T> Scalar) where T : unmanaged;

/// <summary>Shared pieces of the collective tests: running jobs with a forced algorithm, inputs,
/// sequential references and assertions that say which case failed.</summary>
internal static class Kit
{
    public const int MaxRanks = 8;

    /// <summary>Every algorithm of the collective (and "auto") on 1 to 8 ranks.</summary>
    public static TheoryData<string, int> Cases(string collective)
    {
        var data = new TheoryData<string, int>();
        foreach (var algorithm in CollectiveAlgorithms.Algorithms(collective).Append(CollectiveAlgorithms.Auto))
            for (int p = 1; p <= MaxRanks; p++)
                data.Add(algorithm, p);
        return data;
    }

    /// <summary>Placements of ranks in "VMs" (the VM of each rank, comma-separated) whose shared-memory
    /// groups under the per-vm policy exercise the two-level algorithms: compact and scatter, uneven
    /// groups, and the degenerate ones (a single group, only single-rank groups).</summary>
    public static TheoryData<string> Placements() =>
    [
        "0,0,1,1", "0,1,0,1", "0,0,0,1,1", "0,1,2,0,1,2,0,1", "0,0,0,0,1,1,1,1", "1,0,2,2,0,2", "0,1,2", "0,0,0",
    ];

    public static int[] VmOfRank(string placement) => placement.Split(',').Select(int.Parse).ToArray();

    /// <summary>Runs the steps in order on every rank of a job, with the algorithm forced; with
    /// <paramref name="vmOfRank"/> the ranks live in those "VMs" (shared memory inside each under the
    /// per-vm policy, tcp between them).</summary>
    public static void Run(string collective, string algorithm, int ranks, IReadOnlyList<Action<Communicator>> steps,
        ChannelPolicy policy = ChannelPolicy.Locality, int[]? vmOfRank = null)
    {
        CollectiveAlgorithms.Override(collective, algorithm);
        try
        {
            InProcessJob.Run(ranks, world =>
            {
                foreach (var step in steps) step(world);
            }, policy, TimeSpan.FromSeconds(90), onCardsPublished: null, vmOfRank);
        }
        finally
        {
            CollectiveAlgorithms.Override(collective, CollectiveAlgorithms.Auto);
        }
    }

    // ---- inputs -----------------------------------------------------------------------------------

    public static int[] Ints(int rank, int count, int seed)
    {
        var random = new Random(seed * 1000 + rank);
        var data = new int[count];
        for (int i = 0; i < count; i++) data[i] = random.Next(-8, 9);
        return data;
    }

    public static T[] Values<T>(int rank, int count, int seed, Func<int, T> convert)
    {
        var ints = Ints(rank, count, seed);
        var data = new T[count];
        for (int i = 0; i < count; i++) data[i] = convert(ints[i]);
        return data;
    }

    public static T[][] PerRank<T>(int ranks, Func<int, T[]> make)
    {
        var all = new T[ranks][];
        for (int r = 0; r < ranks; r++) all[r] = make(r);
        return all;
    }

    /// <summary>Random bytes, distinct per rank and seed.</summary>
    public static byte[] Bytes(int rank, int count, int seed)
    {
        var data = new byte[count];
        new Random(seed * 7919 + rank).NextBytes(data);
        return data;
    }

    // ---- operators --------------------------------------------------------------------------------

    public static readonly OpCase<Mat2> MatrixProduct = new("matrix product",
        new ReduceOp<Mat2>((input, inout) =>
        {
            for (int i = 0; i < inout.Length; i++) inout[i] = input[i] * inout[i];
        }, isCommutative: false, "matrix product"),
        (x, y) => x * y);

    public static Mat2[] Matrices(int rank, int count, int seed)
    {
        var random = new Random(seed * 31 + rank);
        var data = new Mat2[count];
        for (int i = 0; i < count; i++) data[i] = new Mat2(random.Next(-3, 4), random.Next(-3, 4), random.Next(-3, 4), random.Next(-3, 4));
        return data;
    }

    public static IEnumerable<OpCase<int>> IntOps()
    {
        yield return new("sum", ReduceOp<int>.Sum, (a, b) => a + b);
        yield return new("prod", ReduceOp<int>.Prod, (a, b) => unchecked(a * b));
        yield return new("min", ReduceOp<int>.Min, Math.Min);
        yield return new("max", ReduceOp<int>.Max, Math.Max);
        yield return new("and", ReduceOp<int>.And, (a, b) => a & b);
        yield return new("or", ReduceOp<int>.Or, (a, b) => a | b);
        yield return new("xor", ReduceOp<int>.Xor, (a, b) => a ^ b);
        // A commutative sum that claims not to be: takes the order-preserving paths with a simple check.
        yield return new("sum declared non-commutative", new ReduceOp<int>((input, inout) =>
        {
            for (int i = 0; i < inout.Length; i++) inout[i] += input[i];
        }, isCommutative: false, "ordered sum"), (a, b) => a + b);
    }

    public static IEnumerable<OpCase<double>> DoubleOps()
    {
        yield return new("sum", ReduceOp<double>.Sum, (a, b) => a + b);
        yield return new("prod", ReduceOp<double>.Prod, (a, b) => a * b);
        yield return new("min", ReduceOp<double>.Min, Math.Min);
        yield return new("max", ReduceOp<double>.Max, Math.Max);
    }

    public static IEnumerable<OpCase<long>> LongOps()
    {
        yield return new("sum", ReduceOp<long>.Sum, (a, b) => a + b);
        yield return new("prod", ReduceOp<long>.Prod, (a, b) => unchecked(a * b));
        yield return new("max", ReduceOp<long>.Max, Math.Max);
    }

    public static IEnumerable<OpCase<byte>> ByteOps()
    {
        yield return new("and", ReduceOp<byte>.And, (a, b) => (byte)(a & b));
        yield return new("or", ReduceOp<byte>.Or, (a, b) => (byte)(a | b));
        yield return new("xor", ReduceOp<byte>.Xor, (a, b) => (byte)(a ^ b));
        yield return new("sum", ReduceOp<byte>.Sum, (a, b) => unchecked((byte)(a + b)));
    }

    // ---- references -------------------------------------------------------------------------------

    /// <summary>x[from] ∘ ... ∘ x[to-1], combined strictly left to right.</summary>
    public static T[] Fold<T>(T[][] inputs, int from, int to, Func<T, T, T> op)
    {
        var acc = (T[])inputs[from].Clone();
        for (int r = from + 1; r < to; r++)
            for (int i = 0; i < acc.Length; i++) acc[i] = op(acc[i], inputs[r][i]);
        return acc;
    }

    // ---- assertions -------------------------------------------------------------------------------

    public static void Equal<T>(ReadOnlySpan<T> expected, ReadOnlySpan<T> actual, string what)
    {
        if (expected.Length != actual.Length)
            throw new XunitException($"{what}: expected {expected.Length} elements, got {actual.Length}");
        for (int i = 0; i < expected.Length; i++)
            if (!EqualityComparer<T>.Default.Equals(expected[i], actual[i]))
                throw new XunitException($"{what}: element {i} of {expected.Length} is {actual[i]}, expected {expected[i]}");
    }

    /// <summary>Fails unless every element is <paramref name="value"/> (a uniform result, or a sentinel in
    /// memory the collective must not touch).</summary>
    public static void Untouched<T>(ReadOnlySpan<T> data, T value, string what)
    {
        for (int i = 0; i < data.Length; i++)
            if (!EqualityComparer<T>.Default.Equals(data[i], value))
                throw new XunitException($"{what}: element {i} of {data.Length} is {data[i]}, expected {value} throughout");
    }
}
