namespace Cosched.Messaging.Collectives.ReduceScatter;

/// <summary>Ring reduce-scatter: each block's partial result travels once around the ring, picking up
/// every rank's contribution, and ends at its owner; p-1 steps of n/p bytes to the right neighbour,
/// with only two blocks of temporary memory. Needs a commutative operator.</summary>
internal static unsafe class Ring
{
    public static void Run<T>(Communicator comm, T* send, T* receive, ReadOnlySpan<int> counts, ReduceOp<T> op, int tag) where T : unmanaged
    {
        int p = comm.Size, me = comm.Rank;
        using var layout = new BlockLayout(counts);
        if (p == 1)
        {
            long bytes = (long)counts[0] * sizeof(T);
            Buffer.MemoryCopy(send, receive, bytes, bytes);
            return;
        }
        int largest = 0;
        for (int r = 0; r < p; r++) largest = Math.Max(largest, counts[r]);
        using var scratch = new Scratch(2L * largest * sizeof(T));
        T* even = (T*)scratch.Pointer, odd = even + largest;
        int right = (me + 1) % p, left = (me - 1 + p) % p;

        // Step s sends the partial result of block me-s-1 and receives that of block me-s-2; the last
        // one received is my own block, complete but for my contribution.
        T* outgoing = send + layout.Start((me - 1 + p) % p);
        for (int step = 0; step < p - 1; step++)
        {
            int sendBlock = (me - step - 1 + 2 * p) % p, receiveBlock = (me - step - 2 + 2 * p) % p;
            T* incoming = step == p - 2 ? receive : step % 2 == 0 ? even : odd;
            comm.SendrecvBytes((byte*)outgoing, (long)counts[sendBlock] * sizeof(T), right,
                (byte*)incoming, (long)counts[receiveBlock] * sizeof(T), left, tag);
            op.Apply(send + layout.Start(receiveBlock), incoming, counts[receiveBlock]);
            outgoing = incoming;
        }
    }
}
