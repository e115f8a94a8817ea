namespace Cosched.Messaging.Collectives.Allgather;

/// <summary>Bruck's allgather: in round k each rank sends the blocks it has to rank-2^k and receives
/// as many from rank+2^k; ceil(log2 p) rounds for any p, best for short blocks on odd rank counts.
/// Blocks are kept rotated (my own first) and put in rank order at the end.</summary>
internal static unsafe class Bruck
{
    public static void Run(Communicator comm, byte* send, byte* receive, long block, int tag)
    {
        int p = comm.Size, me = comm.Rank;
        if (p == 1)
        {
            if (send != receive) Buffer.MemoryCopy(send, receive, block, block);
            return;
        }
        using var scratch = new Scratch(p * block);
        byte* blocks = scratch.Pointer;
        Buffer.MemoryCopy(send, blocks, block, block);
        for (int k = 1; k < p; k <<= 1)
        {
            long n = Math.Min(k, p - k) * block;
            comm.SendrecvBytes(blocks, n, (me - k + p) % p, blocks + k * block, n, (me + k) % p, tag);
        }
        // Rotated block i belongs to rank me + i.
        long head = (long)(p - me) * block;
        Buffer.MemoryCopy(blocks, receive + me * block, head, head);
        Buffer.MemoryCopy(blocks + head, receive, (long)me * block, (long)me * block);
    }
}
