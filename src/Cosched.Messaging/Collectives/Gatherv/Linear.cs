namespace Cosched.Messaging.Collectives.Gatherv;

/// <summary>Linear gather with a block size per rank (MPI_Gatherv): the only algorithm MPICH and
/// Open MPI use too, since intermediate ranks of a tree would not know the sizes.</summary>
internal static unsafe class Linear
{
    public static void Run(Communicator comm, byte* send, long sendBytes, byte* receive, ReadOnlySpan<int> counts,
        ReadOnlySpan<int> displacements, int elementSize, int root, int tag)
    {
        int p = comm.Size, me = comm.Rank;
        if (me != root)
        {
            comm.SendBytes(send, sendBytes, root, tag);
            return;
        }
        byte* mine = receive + (long)displacements[me] * elementSize;
        if (send != mine) Buffer.MemoryCopy(send, mine, sendBytes, sendBytes);
        if (p == 1) return;
        var requests = ScratchPool.RentRequests(p);
        try
        {
            for (int r = 0; r < p; r++)
                if (r != me)
                    requests[r] = comm.StartReceiveBytes(receive + (long)displacements[r] * elementSize, (long)counts[r] * elementSize, r, tag);
            for (int r = 0; r < p; r++)
                if (r != me) comm.Finish(requests[r]);
        }
        finally
        {
            ScratchPool.ReturnRequests(requests);
        }
    }
}
