namespace Cosched.Messaging.Collectives.Alltoall;

/// <summary>Pairwise-exchange all-to-all for long blocks: p-1 steps, in step i each rank exchanges
/// with one partner (rank XOR i when p is a power of two, else rank±i), so no link is oversubscribed.</summary>
internal static unsafe class Pairwise
{
    public static void Run(Communicator comm, byte* send, byte* receive, long block, int tag)
    {
        int p = comm.Size, me = comm.Rank;
        Buffer.MemoryCopy(send + me * block, receive + me * block, block, block);
        bool powerOfTwo = (p & (p - 1)) == 0;
        for (int i = 1; i < p; i++)
        {
            int to = powerOfTwo ? me ^ i : (me + i) % p;
            int from = powerOfTwo ? me ^ i : (me - i + p) % p;
            comm.SendrecvBytes(send + to * block, block, to, receive + from * block, block, from, tag);
        }
    }
}
