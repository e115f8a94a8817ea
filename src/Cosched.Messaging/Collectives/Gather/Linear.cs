namespace Cosched.Messaging.Collectives.Gather;

/// <summary>Linear gather: every rank sends its block straight to the root, which has all receives
/// posted at once; p-1 messages into one rank, best for large blocks or few ranks.</summary>
internal static unsafe class Linear
{
    public static void Run(Communicator comm, byte* send, byte* receive, long block, int root, int tag)
    {
        int p = comm.Size, me = comm.Rank;
        if (me != root)
        {
            comm.SendBytes(send, block, root, tag);
            return;
        }
        if (send != receive + me * block) Buffer.MemoryCopy(send, receive + me * block, block, block);
        if (p == 1) return;
        var requests = ScratchPool.RentRequests(p);
        try
        {
            for (int r = 0; r < p; r++)
                if (r != me) requests[r] = comm.StartReceiveBytes(receive + r * block, block, r, tag);
            for (int r = 0; r < p; r++)
                if (r != me) comm.Finish(requests[r]);
        }
        finally
        {
            ScratchPool.ReturnRequests(requests);
        }
    }
}
