using Cosched.Messaging.Collectives.Allreduce;

namespace Cosched.Messaging.Collectives.Reduce;

/// <summary>Rabenseifner's reduce for long messages: the recursive-halving reduce-scatter of
/// <see cref="Rabenseifner"/>, then a binomial gather of the reduced chunks to the root; each rank
/// sends about n bytes instead of n log2 p. Keeps rank order, so any associative operator works.</summary>
internal static unsafe class ReduceScatterGather
{
    public static void Run<T>(Communicator comm, T* send, T* receive, int count, ReduceOp<T> op, int root, int tag) where T : unmanaged
    {
        int p = comm.Size, me = comm.Rank;
        long bytes = (long)count * sizeof(T);
        if (p == 1)
        {
            Buffer.MemoryCopy(send, receive, bytes, bytes);
            return;
        }
        int pof2 = Selection.PowerOfTwoBelow(p), rem = p - pof2;
        using var scratch = new Scratch(me == root ? bytes : 2 * bytes);
        T* acc = me == root ? receive : (T*)(scratch.Pointer + bytes);
        T* tmp = (T*)scratch.Pointer;
        Buffer.MemoryCopy(send, acc, bytes, bytes);

        int newrank = Rabenseifner.FoldIn(comm, acc, tmp, count, op, rem, tag);
        if (newrank < 0)
        {
            // An even rank that sat out: if it is the root, its partner computed the result for it.
            if (me == root) comm.ReceiveBytes((byte*)receive, bytes, me + 1, tag);
            return;
        }
        var chunks = new Chunks(count, pof2);
        Rabenseifner.ReduceScatter(comm, acc, tmp, chunks, op, newrank, rem, tag, out int lo, out int hi);

        // Binomial gather toward the root's stand-in, undoing the halving from the smallest ranges up.
        int newroot = root < 2 * rem ? root / 2 : root - rem;
        for (int mask = pof2 >> 1; mask > 0; mask >>= 1)
        {
            int partnerNew = newrank ^ mask, size = hi - lo;
            int otherLo = newrank < partnerNew ? hi : lo - size, otherHi = otherLo + size;
            int partner = Rabenseifner.RealRank(partnerNew, rem);
            if ((newrank & mask) == (newroot & mask))
            {
                long at = chunks.Start(otherLo);
                comm.ReceiveBytes((byte*)(acc + at), (chunks.Start(otherHi) - at) * sizeof(T), partner, tag);
                lo = Math.Min(lo, otherLo);
                hi = Math.Max(hi, otherHi);
            }
            else
            {
                long at = chunks.Start(lo);
                comm.SendBytes((byte*)(acc + at), (chunks.Start(hi) - at) * sizeof(T), partner, tag);
                return;
            }
        }
        if (me != root) comm.SendBytes((byte*)acc, bytes, root, tag);
    }
}
