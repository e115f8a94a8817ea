namespace Cosched.Messaging.Collectives.Scatter;

/// <summary>Linear scatter: the root starts one send per rank and waits for them all; best for large
/// blocks or few ranks.</summary>
internal static unsafe class Linear
{
    public static void Run(Communicator comm, byte* send, byte* receive, long block, int root, int tag)
    {
        int p = comm.Size, me = comm.Rank;
        if (me != root)
        {
            comm.ReceiveBytes(receive, block, root, tag);
            return;
        }
        if (send + me * block != receive) Buffer.MemoryCopy(send + me * block, receive, block, block);
        if (p == 1) return;
        var requests = ScratchPool.RentRequests(p);
        try
        {
            for (int r = 0; r < p; r++)
                if (r != me) requests[r] = comm.StartSendBytes(send + r * block, block, r, tag);
            for (int r = 0; r < p; r++)
                if (r != me) comm.Finish(requests[r]);
        }
        finally
        {
            ScratchPool.ReturnRequests(requests);
        }
    }
}
