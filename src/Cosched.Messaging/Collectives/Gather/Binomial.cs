namespace Cosched.Messaging.Collectives.Gather;

/// <summary>Binomial-tree gather: each rank collects its subtree's blocks (a contiguous run of
/// relative ranks) and sends them to its parent in one message; log2 p rounds, best for short
/// blocks. The root rotates the blocks into rank order at the end.</summary>
internal static unsafe class Binomial
{
    public static void Run(Communicator comm, byte* send, byte* receive, long block, int root, int tag)
    {
        int p = comm.Size, me = comm.Rank, relative = (me - root + p) % p;
        int subtree = 1;
        for (int m = 1; m < p && (relative & m) == 0; m <<= 1) subtree += Math.Max(0, Math.Min(m, p - relative - m));
        if (subtree == 1 && relative != 0)
        {
            // A leaf: its block goes straight from the user's buffer.
            int parentMask = relative & -relative;
            comm.SendBytes(send, block, (me - parentMask + p) % p, tag);
            return;
        }

        // Blocks in relative-rank order from my own; the root with rank 0 can use the user's buffer.
        bool direct = relative == 0 && root == 0;
        using var scratch = direct ? default : new Scratch(subtree * block);
        byte* blocks = direct ? receive : scratch.Pointer;
        if (blocks != send) Buffer.MemoryCopy(send, blocks, block, block);
        for (int mask = 1; mask < p; mask <<= 1)
        {
            if ((relative & mask) != 0)
            {
                comm.SendBytes(blocks, subtree * block, (me - mask + p) % p, tag);
                return;
            }
            int child = relative + mask;
            if (child < p) comm.ReceiveBytes(blocks + mask * block, Math.Min(mask, p - child) * block, (me + mask) % p, tag);
        }
        if (!direct)
        {
            // Relative block i belongs to rank root + i.
            long head = (long)(p - root) * block;
            Buffer.MemoryCopy(blocks, receive + root * block, head, head);
            Buffer.MemoryCopy(blocks + head, receive, (long)root * block, (long)root * block);
        }
    }
}
