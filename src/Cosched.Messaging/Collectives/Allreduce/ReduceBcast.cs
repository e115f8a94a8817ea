namespace Cosched.Messaging.Collectives.Allreduce;

/// <summary>Allreduce as a binomial reduce to rank 0 followed by a binomial broadcast (Open MPI's
/// "nonoverlapping"): 2(p-1) messages instead of p log2 p, which wins when ranks outnumber cores and
/// every message costs a wake-up. Rank order holds, since the reduce tree is rooted at rank 0.</summary>
internal static unsafe class ReduceBcast
{
    public static void Run<T>(Communicator comm, T* send, T* receive, int count, ReduceOp<T> op, int tag) where T : unmanaged
    {
        long bytes = (long)count * sizeof(T);
        if (send == receive && comm.Rank == 0)
        {
            // The tree's root reads its contribution while partial results land in its buffer.
            using var copy = new Scratch(bytes);
            Buffer.MemoryCopy(send, copy.Pointer, bytes, bytes);
            Reduce.Binomial.Run(comm, (T*)copy.Pointer, receive, count, op, 0, tag);
        }
        else Reduce.Binomial.Run(comm, send, receive, count, op, 0, tag);
        Bcast.Binomial.Run(comm, (byte*)receive, bytes, 0, tag);
    }
}
