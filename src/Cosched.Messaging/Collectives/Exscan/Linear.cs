namespace Cosched.Messaging.Collectives.Exscan;

/// <summary>Linear exclusive scan: rank r receives the prefix of ranks 0..r-1 (its result), adds its
/// own values and passes that on; rank 0's buffer is left untouched (MPI_Exscan).</summary>
internal static unsafe class Linear
{
    public static void Run<T>(Communicator comm, T* send, T* receive, int count, ReduceOp<T> op, int tag) where T : unmanaged
    {
        int p = comm.Size, me = comm.Rank;
        long bytes = (long)count * sizeof(T);
        if (p == 1) return;
        if (me == 0)
        {
            comm.SendBytes((byte*)send, bytes, 1, tag);
            return;
        }
        if (me == p - 1)
        {
            comm.ReceiveBytes((byte*)receive, bytes, me - 1, tag);
            return;
        }
        // Keep my values aside first: the receive buffer may be the send buffer.
        using var scratch = new Scratch(bytes);
        T* next = (T*)scratch.Pointer;
        Buffer.MemoryCopy(send, next, bytes, bytes);
        comm.ReceiveBytes((byte*)receive, bytes, me - 1, tag);
        op.Apply(receive, next, count);
        comm.SendBytes((byte*)next, bytes, me + 1, tag);
    }
}
