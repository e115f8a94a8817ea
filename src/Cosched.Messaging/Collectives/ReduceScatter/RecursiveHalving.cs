using Cosched.Messaging.Collectives.Allreduce;

namespace Cosched.Messaging.Collectives.ReduceScatter;

/// <summary>Recursive-halving reduce-scatter (Thakur, Rabenseifner, Gropp): in round k each rank
/// exchanges half of what it still holds with rank XOR p/2^k and combines, so it ends with its own
/// block after log2 p rounds, moving about n bytes. Ranks beyond the largest power of two fold in
/// first and get their block from their partner. Needs a commutative operator.</summary>
internal static unsafe class RecursiveHalving
{
    public static void Run<T>(Communicator comm, T* send, T* receive, ReadOnlySpan<int> counts, ReduceOp<T> op, int tag) where T : unmanaged
    {
        int p = comm.Size, me = comm.Rank;
        using var layout = new BlockLayout(counts);
        long total = layout.Total(p), mine = (long)counts[me] * sizeof(T);
        if (p == 1)
        {
            Buffer.MemoryCopy(send, receive, mine, mine);
            return;
        }
        using var scratch = new Scratch(2 * total * sizeof(T));
        T* acc = (T*)scratch.Pointer, tmp = acc + total;
        Buffer.MemoryCopy(send, acc, total * sizeof(T), total * sizeof(T));

        int pof2 = Selection.PowerOfTwoBelow(p), rem = p - pof2;
        int newrank = Rabenseifner.FoldIn(comm, acc, tmp, (int)total, op, rem, tag);
        if (newrank < 0)
        {
            comm.ReceiveBytes((byte*)receive, mine, me + 1, tag);
            return;
        }

        // Rank n among the power of two stands for communicator ranks First(n) .. First(n+1)-1, whose
        // blocks are contiguous in the buffer.
        int lo = 0, hi = pof2;
        for (int mask = pof2 >> 1; mask > 0; mask >>= 1)
        {
            int partnerNew = newrank ^ mask, mid = lo + mask;
            bool lower = newrank < partnerNew;
            int keepLo = lower ? lo : mid, keepHi = lower ? mid : hi;
            int sendLo = lower ? mid : lo, sendHi = lower ? hi : mid;
            long keepAt = layout.Start(First(keepLo, rem)), keepCount = layout.Start(First(keepHi, rem)) - keepAt;
            long sendAt = layout.Start(First(sendLo, rem)), sendCount = layout.Start(First(sendHi, rem)) - sendAt;
            int partner = Rabenseifner.RealRank(partnerNew, rem);
            comm.SendrecvBytes((byte*)(acc + sendAt), sendCount * sizeof(T), partner, (byte*)(tmp + keepAt), keepCount * sizeof(T), partner, tag);
            op.Apply(tmp + keepAt, acc + keepAt, (int)keepCount);
            lo = keepLo;
            hi = keepHi;
        }

        if (me < 2 * rem) comm.SendBytes((byte*)(acc + layout.Start(me - 1)), (long)counts[me - 1] * sizeof(T), me - 1, tag);
        Buffer.MemoryCopy(acc + layout.Start(me), receive, mine, mine);
    }

    private static int First(int n, int rem) => n < rem ? 2 * n : n + rem;
}
