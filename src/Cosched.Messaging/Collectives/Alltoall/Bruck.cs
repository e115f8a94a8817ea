namespace Cosched.Messaging.Collectives.Alltoall;

/// <summary>Bruck's all-to-all for short blocks: after a local rotation, round k sends every block
/// whose index has bit k set to rank+2^k, packed in one message; ceil(log2 p) rounds instead of p-1,
/// at the price of moving each block up to log2 p times and an inverse rotation at the end.</summary>
internal static unsafe class Bruck
{
    public static void Run(Communicator comm, byte* send, byte* receive, long block, int tag)
    {
        int p = comm.Size, me = comm.Rank;
        long half = (p + 1) / 2 * block;
        using var scratch = new Scratch(p * block + 2 * half);
        byte* blocks = scratch.Pointer, outgoing = blocks + p * block, incoming = outgoing + half;

        // Rotated block i is my data for rank me + i.
        long head = (long)(p - me) * block;
        Buffer.MemoryCopy(send + me * block, blocks, head, head);
        Buffer.MemoryCopy(send, blocks + head, (long)me * block, (long)me * block);

        for (int distance = 1; distance < p; distance <<= 1)
        {
            long packed = 0;
            for (int i = distance; i < p; i++)
            {
                if ((i & distance) == 0) continue;
                Buffer.MemoryCopy(blocks + i * block, outgoing + packed, block, block);
                packed += block;
            }
            comm.SendrecvBytes(outgoing, packed, (me + distance) % p, incoming, packed, (me - distance + p) % p, tag);
            packed = 0;
            for (int i = distance; i < p; i++)
            {
                if ((i & distance) == 0) continue;
                Buffer.MemoryCopy(incoming + packed, blocks + i * block, block, block);
                packed += block;
            }
        }
        // Block i now came from rank me - i.
        for (int i = 0; i < p; i++)
            Buffer.MemoryCopy(blocks + i * block, receive + (long)((me - i + p) % p) * block, block, block);
    }
}
