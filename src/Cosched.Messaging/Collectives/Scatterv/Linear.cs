namespace Cosched.Messaging.Collectives.Scatterv;

/// <summary>Linear scatter with a block size per rank (MPI_Scatterv), as in MPICH and Open MPI.</summary>
internal static unsafe class Linear
{
    public static void Run(Communicator comm, byte* send, ReadOnlySpan<int> counts, ReadOnlySpan<int> displacements,
        byte* receive, long receiveBytes, int elementSize, int root, int tag)
    {
        int p = comm.Size, me = comm.Rank;
        if (me != root)
        {
            comm.ReceiveBytes(receive, receiveBytes, root, tag);
            return;
        }
        byte* mine = send + (long)displacements[me] * elementSize;
        long mineBytes = (long)counts[me] * elementSize;
        if (mine != receive) Buffer.MemoryCopy(mine, receive, mineBytes, mineBytes);
        if (p == 1) return;
        var requests = ScratchPool.RentRequests(p);
        try
        {
            for (int r = 0; r < p; r++)
                if (r != me)
                    requests[r] = comm.StartSendBytes(send + (long)displacements[r] * elementSize, (long)counts[r] * elementSize, r, tag);
            for (int r = 0; r < p; r++)
                if (r != me) comm.Finish(requests[r]);
        }
        finally
        {
            ScratchPool.ReturnRequests(requests);
        }
    }
}
