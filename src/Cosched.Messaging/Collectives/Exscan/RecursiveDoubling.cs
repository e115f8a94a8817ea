namespace Cosched.Messaging.Collectives.Exscan;

/// <summary>Recursive-doubling exclusive scan: as the inclusive one, but a rank's result collects only
/// what lower partners send, never its own values; rank 0's buffer is left untouched (MPI_Exscan).</summary>
internal static unsafe class RecursiveDoubling
{
    public static void Run<T>(Communicator comm, T* send, T* receive, int count, ReduceOp<T> op, int tag) where T : unmanaged
    {
        int p = comm.Size, me = comm.Rank;
        long bytes = (long)count * sizeof(T);
        using var scratch = new Scratch(2 * bytes);
        T* partial = (T*)scratch.Pointer, tmp = partial + count;
        Buffer.MemoryCopy(send, partial, bytes, bytes);
        bool first = true;
        for (int mask = 1; mask < p; mask <<= 1)
        {
            int partner = me ^ mask;
            if (partner >= p) continue;
            comm.SendrecvBytes((byte*)partial, bytes, partner, (byte*)tmp, bytes, partner, tag);
            if (partner < me)
            {
                op.Apply(tmp, partial, count);
                if (first) Buffer.MemoryCopy(tmp, receive, bytes, bytes);
                else op.Apply(tmp, receive, count);
                first = false;
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
