namespace Cosched.Messaging.Collectives.Allreduce;

/// <summary>Rabenseifner's allreduce for long messages: a recursive-halving reduce-scatter leaves each
/// rank one fully reduced chunk, then a recursive-doubling allgather spreads the chunks; each rank
/// moves about 2n bytes in 2 log2 p rounds. Ranks beyond the largest power of two fold in first.</summary>
/// <remarks>Partners at distance 1, 2, 4, ... hold aligned, contiguous groups of ranks, so combining
/// the lower group's data on the left keeps non-commutative operators in rank order.</remarks>
internal static unsafe class Rabenseifner
{
    public static void Run<T>(Communicator comm, T* send, T* receive, int count, ReduceOp<T> op, int tag) where T : unmanaged
    {
        int p = comm.Size;
        long bytes = (long)count * sizeof(T);
        if (send != receive) Buffer.MemoryCopy(send, receive, bytes, bytes);
        if (p == 1) return;
        int pof2 = Selection.PowerOfTwoBelow(p), rem = p - pof2;
        using var scratch = new Scratch(bytes);
        T* tmp = (T*)scratch.Pointer;

        int newrank = FoldIn(comm, receive, tmp, count, op, rem, tag);
        if (newrank >= 0)
        {
            var chunks = new Chunks(count, pof2);
            ReduceScatter(comm, receive, tmp, chunks, op, newrank, rem, tag, out int lo, out int hi);
            Allgather(comm, receive, chunks, newrank, rem, lo, hi, tag);
        }
        FoldOut(comm, receive, bytes, rem, tag);
    }

    /// <summary>Ranks below 2·rem pair up: the even one hands its data to the odd one and sits out.
    /// Returns the rank among the power of two, or -1 for a rank that sits out.</summary>
    internal static int FoldIn<T>(Communicator comm, T* acc, T* tmp, int count, ReduceOp<T> op, int rem, int tag) where T : unmanaged
    {
        int me = comm.Rank;
        long bytes = (long)count * sizeof(T);
        if (me >= 2 * rem) return me - rem;
        if (me % 2 == 0)
        {
            comm.SendBytes((byte*)acc, bytes, me + 1, tag);
            return -1;
        }
        comm.ReceiveBytes((byte*)tmp, bytes, me - 1, tag);
        op.Apply(tmp, acc, count);
        return me / 2;
    }

    /// <summary>Gives the ranks that sat out the result their partner computed.</summary>
    internal static void FoldOut(Communicator comm, void* result, long bytes, int rem, int tag)
    {
        int me = comm.Rank;
        if (me >= 2 * rem) return;
        if (me % 2 == 0) comm.ReceiveBytes((byte*)result, bytes, me + 1, tag);
        else comm.SendBytes((byte*)result, bytes, me - 1, tag);
    }

    /// <summary>Communicator rank of a rank among the power of two.</summary>
    internal static int RealRank(int newrank, int rem) => newrank < rem ? 2 * newrank + 1 : newrank + rem;

    /// <summary>Recursive halving at distances 1, 2, 4, ...: the lower partner keeps the lower half of
    /// the chunks it still holds. Ends with [lo, hi) being one chunk (the bit-reversal of newrank).</summary>
    internal static void ReduceScatter<T>(Communicator comm, T* acc, T* tmp, Chunks chunks, ReduceOp<T> op, int newrank, int rem, int tag,
        out int lo, out int hi) where T : unmanaged
    {
        lo = 0;
        hi = chunks.Count;
        for (int mask = 1; mask < chunks.Count; mask <<= 1)
        {
            int partnerNew = newrank ^ mask, mid = (lo + hi) / 2;
            bool lower = newrank < partnerNew;
            int keepLo = lower ? lo : mid, keepHi = lower ? mid : hi;
            int sendLo = lower ? mid : lo, sendHi = lower ? hi : mid;
            long keepAt = chunks.Start(keepLo), keepCount = chunks.Start(keepHi) - keepAt;
            long sendAt = chunks.Start(sendLo), sendCount = chunks.Start(sendHi) - sendAt;
            comm.SendrecvBytes((byte*)(acc + sendAt), sendCount * sizeof(T), RealRank(partnerNew, rem),
                (byte*)(tmp + keepAt), keepCount * sizeof(T), RealRank(partnerNew, rem), tag);
            if (!lower || op.IsCommutative) op.Apply(tmp + keepAt, acc + keepAt, (int)keepCount);
            else
            {
                op.Apply(acc + keepAt, tmp + keepAt, (int)keepCount);
                Buffer.MemoryCopy(tmp + keepAt, acc + keepAt, keepCount * sizeof(T), keepCount * sizeof(T));
            }
            lo = keepLo;
            hi = keepHi;
        }
    }

    /// <summary>The reduce-scatter in reverse: partners swap the chunk ranges they hold until every
    /// rank holds all of them.</summary>
    internal static void Allgather<T>(Communicator comm, T* acc, Chunks chunks, int newrank, int rem, int lo, int hi, int tag) where T : unmanaged
    {
        for (int mask = chunks.Count >> 1; mask > 0; mask >>= 1)
        {
            int partnerNew = newrank ^ mask, size = hi - lo;
            int otherLo = newrank < partnerNew ? hi : lo - size, otherHi = otherLo + size;
            long mineAt = chunks.Start(lo), otherAt = chunks.Start(otherLo);
            comm.SendrecvBytes((byte*)(acc + mineAt), (chunks.Start(hi) - mineAt) * sizeof(T), RealRank(partnerNew, rem),
                (byte*)(acc + otherAt), (chunks.Start(otherHi) - otherAt) * sizeof(T), RealRank(partnerNew, rem), tag);
            lo = Math.Min(lo, otherLo);
            hi = Math.Max(hi, otherHi);
        }
    }
}

/// <summary>A vector of <c>count</c> elements cut into <c>Count</c> nearly equal chunks (the first
/// count mod Count chunks one element longer).</summary>
internal readonly struct Chunks(int count, int chunks)
{
    private readonly int _quotient = count / chunks, _remainder = count % chunks;

    public int Count => chunks;

    /// <summary>Element offset of chunk i (i == Count gives the total).</summary>
    public long Start(int i) => (long)i * _quotient + Math.Min(i, _remainder);

    public int Length(int i) => _quotient + (i < _remainder ? 1 : 0);
}
