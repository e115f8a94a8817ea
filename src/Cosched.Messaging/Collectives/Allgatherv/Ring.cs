namespace Cosched.Messaging.Collectives.Allgatherv;

/// <summary>Ring allgather with a block size per rank (MPI_Allgatherv): p-1 steps, each passing the
/// last block received to the right neighbour, straight between the users' buffers.</summary>
internal static unsafe class Ring
{
    public static void Run(Communicator comm, byte* send, byte* receive, ReadOnlySpan<int> counts, ReadOnlySpan<int> displacements,
        int elementSize, int tag)
    {
        int p = comm.Size, me = comm.Rank;
        byte* mine = receive + (long)displacements[me] * elementSize;
        long mineBytes = (long)counts[me] * elementSize;
        if (send != mine) Buffer.MemoryCopy(send, mine, mineBytes, mineBytes);
        int right = (me + 1) % p, left = (me - 1 + p) % p;
        for (int step = 0; step < p - 1; step++)
        {
            int s = (me - step + p) % p, r = (me - step - 1 + p) % p;
            comm.SendrecvBytes(receive + (long)displacements[s] * elementSize, (long)counts[s] * elementSize, right,
                receive + (long)displacements[r] * elementSize, (long)counts[r] * elementSize, left, tag);
        }
    }
}
