namespace Cosched.Messaging.Collectives.Scan;

/// <summary>Recursive-doubling scan: in round k each rank swaps the reduction of its aligned group
/// of 2^k ranks with rank XOR 2^k, and folds a lower partner's into its prefix; log2 p rounds.
/// Lower groups are always combined on the left, so rank order holds for any operator. Inclusive
/// (MPI_Scan) starts the prefix from the rank's own values; exclusive (MPI_Exscan) collects only
/// what lower partners send and leaves rank 0's buffer untouched.</summary>
internal static unsafe class RecursiveDoubling
{
    public static void Run<T>(Communicator comm, T* send, T* receive, int count, ReduceOp<T> op, int tag, bool inclusive = true) where T : unmanaged
    {
        int p = comm.Size, me = comm.Rank;
        long bytes = (long)count * sizeof(T);
        using var scratch = new Scratch(2 * bytes);
        T* partial = (T*)scratch.Pointer, tmp = partial + count;
        Buffer.MemoryCopy(send, partial, bytes, bytes);
        if (inclusive && send != receive) Buffer.MemoryCopy(send, receive, bytes, bytes);
        bool hasPrefix = inclusive;
        for (int mask = 1; mask < p; mask <<= 1)
        {
            int partner = me ^ mask;
            if (partner >= p) continue;
            comm.SendrecvBytes((byte*)partial, bytes, partner, (byte*)tmp, bytes, partner, tag);
            if (partner < me)
            {
                op.Apply(tmp, partial, count);
                if (hasPrefix) op.Apply(tmp, receive, count);
                else Buffer.MemoryCopy(tmp, receive, bytes, bytes);
                hasPrefix = true;
            }
            else if (op.IsCommutative) op.Apply(tmp, partial, count);
            else
            {
                op.Apply(partial, tmp, count);
                T* swap = partial;
                partial = tmp;
                tmp = swap;
            }
        }
    }
}
