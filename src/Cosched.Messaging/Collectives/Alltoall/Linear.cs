namespace Cosched.Messaging.Collectives.Alltoall;

/// <summary>Linear all-to-all for medium blocks (MPICH's "scattered"): receives and sends to every
/// rank are started together, a batch at a time, in an order staggered by rank so that not everyone
/// targets the same rank at once.</summary>
internal static unsafe class Linear
{
    /// <summary>Transfers in flight per batch (MPIR_CVAR_ALLTOALL_THROTTLE).</summary>
    public static int Batch = Tuning.Int("COSCHED_ALLTOALL_BATCH", 32);

    public static void Run(Communicator comm, byte* send, byte* receive, long block, int tag)
    {
        int p = comm.Size, me = comm.Rank;
        Buffer.MemoryCopy(send + me * block, receive + me * block, block, block);
        if (p == 1) return;
        int batch = Math.Min(Batch, p - 1);
        var requests = ScratchPool.RentRequests(2 * batch);
        try
        {
            for (int first = 1; first < p; first += batch)
            {
                int n = Math.Min(batch, p - first);
                for (int i = 0; i < n; i++)
                {
                    int from = (me + first + i) % p;
                    requests[i] = comm.StartReceiveBytes(receive + from * block, block, from, tag);
                }
                for (int i = 0; i < n; i++)
                {
                    int to = (me - first - i + 2 * p) % p;
                    requests[n + i] = comm.StartSendBytes(send + to * block, block, to, tag);
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
