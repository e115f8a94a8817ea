namespace Cosched.Messaging.Collectives.Scan;

/// <summary>Linear inclusive scan: rank r waits for the prefix of ranks 0..r-1 from rank r-1, adds its
/// own values and passes the result on; p-1 hops, but only one message per rank.</summary>
internal static unsafe class Linear
{
    public static void Run<T>(Communicator comm, T* send, T* receive, int count, ReduceOp<T> op, int tag) where T : unmanaged
    {
        int p = comm.Size, me = comm.Rank;
        long bytes = (long)count * sizeof(T);
        if (send != receive) Buffer.MemoryCopy(send, receive, bytes, bytes);
        if (me > 0)
        {
            using var scratch = new Scratch(bytes);
            comm.ReceiveBytes(scratch.Pointer, bytes, me - 1, tag);
            op.Apply((T*)scratch.Pointer, receive, count);
        }
        if (me < p - 1) comm.SendBytes((byte*)receive, bytes, me + 1, tag);
    }
}
