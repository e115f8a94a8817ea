using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Cosched.Messaging;

namespace Cosched.Workloads.Npb.Is;

/// <summary>One rank's share of IS: its keys, and NPB's ranking step. Keys are counted into buckets,
/// the bucket totals are summed over all ranks, whole buckets are dealt to ranks so that each gets
/// about as many keys as it generated, the keys travel there with an alltoallv, and each rank ranks
/// its key range by counting. Every buffer is allocated here, once.</summary>
internal sealed class IsRanking
{
    private readonly IsProblem _problem;
    private readonly Communicator _world;
    private readonly int _keysPerRank;
    private readonly int _shift;
    private readonly int[] _keys;
    private readonly int[] _bucketed;
    private readonly int[] _received;
    private readonly int[] _keyCounts;
    private readonly int[] _bucketSize;
    private readonly int[] _bucketTotals;
    private readonly int[] _bucketStart;
    private readonly int[] _firstBucket;
    private readonly int[] _lastBucket;
    private readonly int[] _sendCount, _sendOffset, _receiveCount, _receiveOffset;

    // What the last iteration left for the full verification.
    private int _minKey;
    private int _localKeys;

    /// <summary>Partial verifications this rank passed (each test key is checked by the rank that holds it).</summary>
    public int Passed { get; private set; }

    public void ResetPassed() => Passed = 0;

    public IsRanking(IsProblem problem, Communicator world)
    {
        _problem = problem;
        _world = world;
        _keysPerRank = problem.TotalKeys / world.Size;
        _shift = problem.MaxKeyLog2 - problem.BucketsLog2;
        int buffer = BufferKeys(problem, world.Size);
        _keys = new int[buffer];
        _bucketed = new int[buffer];
        _received = new int[buffer];
        _keyCounts = new int[problem.MaxKey];
        _bucketSize = new int[problem.Buckets + IsProblem.TestKeys];
        _bucketTotals = new int[problem.Buckets + IsProblem.TestKeys];
        _bucketStart = new int[problem.Buckets];
        _firstBucket = new int[world.Size];
        _lastBucket = new int[world.Size];
        _sendCount = new int[world.Size];
        _sendOffset = new int[world.Size];
        _receiveCount = new int[world.Size];
        _receiveOffset = new int[world.Size];
        GenerateKeys();
    }

    /// <summary>Room for the keys a rank may receive: keys are roughly Gaussian, so the ranks holding
    /// the tails get wider key ranges; NPB's margins, validated up to 1024 ranks.</summary>
    internal static int BufferKeys(IsProblem problem, int ranks)
    {
        int keys = problem.TotalKeys / ranks;
        return ranks < 256 ? 3 * keys / 2 : ranks < 512 ? 5 * keys / 2 : ranks < 1024 ? 4 * keys : 13 * keys / 2;
    }

    /// <summary>Each key is MaxKey/4 times the sum of four uniforms; rank r draws its keys from its own
    /// stretch of one sequence (4 numbers per key), seed 314159265.</summary>
    private void GenerateKeys()
    {
        double a = NpbRandom.DefaultMultiplier;
        double seed = 314159265;
        NpbRandom.Randlc(ref seed, NpbRandom.Power(a, 4L * _keysPerRank * _world.Rank));
        double k = _problem.MaxKey / 4;
        for (int i = 0; i < _keysPerRank; i++)
        {
            double x = NpbRandom.Randlc(ref seed, a);
            x += NpbRandom.Randlc(ref seed, a);
            x += NpbRandom.Randlc(ref seed, a);
            x += NpbRandom.Randlc(ref seed, a);
            _keys[i] = (int)(k * x);
        }
    }

    /// <summary>NPB's rank(iteration): one full ranking of all keys, with the partial verification.</summary>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // ten calls a run: never past tier 0 and OSR otherwise
    public void Rank(int iteration)
    {
        var problem = _problem;
        int buckets = problem.Buckets, rank = _world.Rank, shift = _shift, n = _keysPerRank;
        if (rank == 0)
        {
            _keys[iteration] = iteration;
            _keys[iteration + IsProblem.Iterations] = problem.MaxKey - iteration;
        }
        Array.Clear(_bucketSize);

        // The test keys ride along in the bucket-size reduction, so every rank learns their values.
        for (int t = 0; t < IsProblem.TestKeys; t++)
            if (problem.TestIndex[t] / n == rank)
                _bucketSize[buckets + t] = _keys[problem.TestIndex[t] % n];

        CountBuckets(_keys.AsSpan(0, n), _bucketSize, shift);
        int start = 0;
        for (int b = 0; b < buckets; b++)
        {
            _bucketStart[b] = start;
            start += _bucketSize[b];
        }
        SortIntoBuckets(_keys.AsSpan(0, n), _bucketed, _bucketStart, shift);

        _world.Allreduce<int>(_bucketSize, _bucketTotals, ReduceOp<int>.Sum);
        DealBuckets();
        _world.Alltoall<int>(_sendCount, _receiveCount);
        int received = 0;
        for (int r = 0; r < _world.Size; r++)
        {
            _receiveOffset[r] = received;
            received += _receiveCount[r];
        }
        _world.Alltoallv<int>(_bucketed, _sendCount, _sendOffset, _received, _receiveCount, _receiveOffset);

        int minKey = _firstBucket[rank] << shift;
        int maxKey = ((_lastBucket[rank] + 1) << shift) - 1;
        long lesserKeys = 0;
        for (int r = 0; r < rank; r++)
            for (int b = _firstBucket[r]; b <= _lastBucket[r]; b++)
                lesserKeys += _bucketTotals[b];
        int localKeys = 0;
        for (int b = _firstBucket[rank]; b <= _lastBucket[rank]; b++)
            localKeys += _bucketTotals[b];

        // Ranking by counting: after the prefix sum, counts[key - minKey] is the number of local keys <= key.
        var counts = _keyCounts.AsSpan(0, Math.Max(0, maxKey - minKey + 1));
        counts.Clear();
        CountKeys(_received.AsSpan(0, localKeys), counts, minKey);
        PrefixSum(counts);

        for (int t = 0; t < IsProblem.TestKeys; t++)
        {
            int key = _bucketTotals[buckets + t];
            if (key < minKey || key > maxKey) continue;
            long keyRank = (key > minKey ? counts[key - 1 - minKey] : 0) + lesserKeys;
            if (keyRank == problem.ExpectedRank(t, iteration)) Passed++;
        }
        _minKey = minKey;
        _localKeys = localKeys;
    }

    /// <summary>Deals consecutive buckets to ranks: rank j's last bucket is the one where the running
    /// total of keys first reaches (j + 1) keys-per-rank. Ranks left over (more ranks than the keys'
    /// spread allows) get nothing.</summary>
    private void DealBuckets()
    {
        int size = _world.Size, n = _keysPerRank;
        long total = 0;
        int local = 0, j = 0;
        _firstBucket[0] = 0;
        for (int b = 0; b < _problem.Buckets && j < size; b++)
        {
            total += _bucketTotals[b];
            local += _bucketSize[b];
            if (total >= (long)(j + 1) * n)
            {
                _sendCount[j] = local;
                if (j != 0) _firstBucket[j] = _lastBucket[j - 1] + 1;
                _lastBucket[j++] = b;
                local = 0;
            }
        }
        for (; j < size; j++)
        {
            _sendCount[j] = 0;
            _firstBucket[j] = 1;
            _lastBucket[j] = 0;
        }
        int offset = 0;
        for (int r = 0; r < size; r++)
        {
            _sendOffset[r] = offset;
            offset += _sendCount[r];
        }
    }

    /// <summary>NPB's full verification (untimed): places each key at its rank and checks that the
    /// keys are in order, across the boundary to the previous rank too. Returns 1 when they are.</summary>
    public int FullyVerify()
    {
        var counts = _keyCounts;
        var sorted = _keys.AsSpan(0, _localKeys);
        for (int i = 0; i < _localKeys; i++)
        {
            int key = _received[i];
            sorted[--counts[key - _minKey]] = key;
        }
        int rank = _world.Rank, size = _world.Size;
        int lastKey = _localKeys > 0 ? sorted[^1] : 0;
        // Blocking send to the next rank, receive from the previous: the chain unwinds from the last rank
        // as in NPB (which posts the receive first); eager sends of one int never block.
        int previousLast = 0;
        if (rank < size - 1) _world.Send(lastKey, rank + 1, 1000);
        if (rank > 0) previousLast = _world.Recv<int>(rank - 1, 1000);
        int outOfOrder = rank > 0 && _localKeys > 0 && previousLast > sorted[0] ? 1 : 0;
        for (int i = 1; i < sorted.Length; i++)
            if (sorted[i - 1] > sorted[i]) outOfOrder++;
        return outOfOrder == 0 ? 1 : 0;
    }

    // The loops below run ten times a run over millions of keys: compiled fully optimised at once,
    // not as tier-0 code replaced part way on the stack (OSR).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CountBuckets(ReadOnlySpan<int> keys, Span<int> bucketSize, int shift)
    {
        ref int size = ref MemoryMarshal.GetReference(bucketSize);
        foreach (int key in keys)
            Unsafe.Add(ref size, key >> shift)++; // keys lie in [0, MaxKey): their bucket exists
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SortIntoBuckets(ReadOnlySpan<int> keys, Span<int> bucketed, Span<int> bucketStart, int shift)
    {
        ref int next = ref MemoryMarshal.GetReference(bucketStart);
        ref int destination = ref MemoryMarshal.GetReference(bucketed);
        foreach (int key in keys)
            Unsafe.Add(ref destination, Unsafe.Add(ref next, key >> shift)++) = key;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CountKeys(ReadOnlySpan<int> keys, Span<int> counts, int minKey)
    {
        // A received key lies in this rank's buckets, so key - minKey is inside counts.
        ref int count = ref MemoryMarshal.GetReference(counts);
        foreach (int key in keys)
            Unsafe.Add(ref count, key - minKey)++;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PrefixSum(Span<int> counts)
    {
        int running = 0;
        for (int i = 0; i < counts.Length; i++)
        {
            running += counts[i];
            counts[i] = running;
        }
    }
}
