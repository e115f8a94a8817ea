namespace Cosched.Messaging.Collectives.Alltoallv;

/// <summary>Linear all-to-all with a block size per pair: batches of receives and sends in flight
/// together, staggered by rank, as <see cref="Alltoall.Linear"/>.</summary>
internal static unsafe class Linear
{
    public static void Run(Communicator comm, byte* send, ReadOnlySpan<int> sendCounts, ReadOnlySpan<int> sendDisplacements,
        byte* receive, ReadOnlySpan<int> receiveCounts, ReadOnlySpan<int> receiveDisplacements, int elementSize, int tag)
    {
        int p = comm.Size, me = comm.Rank;
        long mine = (long)sendCounts[me] * elementSize;
        Buffer.MemoryCopy(send + (long)sendDisplacements[me] * elementSize, receive + (long)receiveDisplacements[me] * elementSize, mine, mine);
        if (p == 1) return;
        int batch = Math.Min(Alltoall.Linear.Batch, p - 1);
        var requests = ScratchPool.RentRequests(2 * batch);
        try
        {
            for (int first = 1; first < p; first += batch)
            {
                int n = Math.Min(batch, p - first);
                for (int i = 0; i < n; i++)
                {
                    int from = (me + first + i) % p;
                    requests[i] = comm.StartReceiveBytes(receive + (long)receiveDisplacements[from] * elementSize,
                        (long)receiveCounts[from] * elementSize, from, tag);
                }
                for (int i = 0; i < n; i++)
                {
                    int to = (me - first - i + 2 * p) % p;
                    requests[n + i] = comm.StartSendBytes(send + (long)sendDisplacements[to] * elementSize,
                        (long)sendCounts[to] * elementSize, to, tag);
                }
                for (int i = 0; i < 2 * n; i++) comm.Finish(requests[i]);
            }
        }
        finally
        {
            ScratchPool.ReturnRequests(requests);
        }
    }
}
