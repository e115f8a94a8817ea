namespace Cosched.Messaging.Collectives.Alltoallv;

/// <summary>Pairwise-exchange all-to-all with a block size per pair (MPI_Alltoallv): p-1 steps of
/// one exchange each, as <see cref="Alltoall.Pairwise"/>.</summary>
internal static unsafe class Pairwise
{
    public static void Run(Communicator comm, byte* send, ReadOnlySpan<int> sendCounts, ReadOnlySpan<int> sendDisplacements,
        byte* receive, ReadOnlySpan<int> receiveCounts, ReadOnlySpan<int> receiveDisplacements, int elementSize, int tag)
    {
        int p = comm.Size, me = comm.Rank;
        long mine = (long)sendCounts[me] * elementSize;
        Buffer.MemoryCopy(send + (long)sendDisplacements[me] * elementSize, receive + (long)receiveDisplacements[me] * elementSize, mine, mine);
        bool powerOfTwo = (p & (p - 1)) == 0;
        for (int i = 1; i < p; i++)
        {
            int to = powerOfTwo ? me ^ i : (me + i) % p;
            int from = powerOfTwo ? me ^ i : (me - i + p) % p;
            comm.SendrecvBytes(send + (long)sendDisplacements[to] * elementSize, (long)sendCounts[to] * elementSize, to,
                receive + (long)receiveDisplacements[from] * elementSize, (long)receiveCounts[from] * elementSize, from, tag);
        }
    }
}
