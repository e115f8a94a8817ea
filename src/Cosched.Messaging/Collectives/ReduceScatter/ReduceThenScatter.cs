namespace Cosched.Messaging.Collectives.ReduceScatter;

/// <summary>Reduce to rank 0, then scatter the blocks: twice the rounds of the direct algorithms, but
/// it keeps rank order, so it serves operators that are not commutative.</summary>
internal static unsafe class ReduceThenScatter
{
    public static void Run<T>(Communicator comm, T* send, T* receive, ReadOnlySpan<int> counts, ReduceOp<T> op, int tag) where T : unmanaged
    {
        int p = comm.Size, me = comm.Rank;
        long total = 0;
        for (int r = 0; r < p; r++) total += counts[r];
        using var scratch = new Scratch(me == 0 ? total * sizeof(T) + (long)p * sizeof(int) : 0);
        T* reduced = (T*)scratch.Pointer;
        comm.ReduceCore(send, reduced, (int)total, op, 0);

        if (me != 0)
        {
            comm.ReceiveBytes((byte*)receive, (long)counts[me] * sizeof(T), 0, tag);
            return;
        }
        var displacements = new Span<int>(scratch.Pointer + total * sizeof(T), p);
        int offset = 0;
        for (int r = 0; r < p; r++)
        {
            displacements[r] = offset;
            offset += counts[r];
        }
        Scatterv.Linear.Run(comm, (byte*)reduced, counts, displacements, (byte*)receive, (long)counts[0] * sizeof(T), sizeof(T), 0, tag);
    }
}
