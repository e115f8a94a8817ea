namespace Cosched.Messaging.Collectives.Barrier;

/// <summary>Tree barrier: empty messages fan in along a binomial tree to rank 0, which then releases
/// everyone along the same tree; 2 log2 p rounds, but only p-1 messages each way.</summary>
internal static unsafe class Tree
{
    public static void Run(Communicator comm, int tag)
    {
        int p = comm.Size, me = comm.Rank;
        byte token = 0, sink;
        int mask = 1;
        // Fan in: collect from children (me + mask for masks below my lowest set bit), then tell the parent.
        for (; mask < p; mask <<= 1)
        {
            if ((me & mask) != 0)
            {
                comm.SendBytes(&token, 0, me - mask, tag);
                comm.ReceiveBytes(&sink, 0, me - mask, tag);
                break;
            }
            if (me + mask < p) comm.ReceiveBytes(&sink, 0, me + mask, tag);
        }
        // Fan out to the same children, farthest first so the deepest subtree starts earliest.
        for (mask >>= 1; mask > 0; mask >>= 1)
            if (me + mask < p) comm.SendBytes(&token, 0, me + mask, tag);
    }
}
