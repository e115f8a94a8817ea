namespace Cosched.Messaging.Collectives.Allgather;

/// <summary>Ring allgather: in p-1 steps each rank passes the block it received last to its right
/// neighbour; every link carries n(p-1)/p bytes, best for long messages.</summary>
internal static unsafe class Ring
{
    public static void Run(Communicator comm, byte* send, byte* receive, long block, int tag)
    {
        int p = comm.Size, me = comm.Rank;
        if (send != receive + me * block) Buffer.MemoryCopy(send, receive + me * block, block, block);
        int right = (me + 1) % p, left = (me - 1 + p) % p;
        for (int step = 0; step < p - 1; step++)
        {
            int sendBlock = (me - step + p) % p, receiveBlock = (me - step - 1 + p) % p;
            comm.SendrecvBytes(receive + sendBlock * block, block, right, receive + receiveBlock * block, block, left, tag);
        }
    }
}
