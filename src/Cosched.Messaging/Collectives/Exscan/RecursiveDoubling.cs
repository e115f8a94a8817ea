namespace Cosched.Messaging.Collectives.Exscan;

/// <summary>Recursive-doubling exclusive scan (MPI_Exscan): the inclusive algorithm without the
/// rank's own values; rank 0's buffer is left untouched.</summary>
internal static unsafe class RecursiveDoubling
{
    public static void Run<T>(Communicator comm, T* send, T* receive, int count, ReduceOp<T> op, int tag) where T : unmanaged =>
        Scan.RecursiveDoubling.Run(comm, send, receive, count, op, tag, inclusive: false);
}
