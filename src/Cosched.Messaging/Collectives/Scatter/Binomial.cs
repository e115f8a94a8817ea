namespace Cosched.Messaging.Collectives.Scatter;

/// <summary>Binomial-tree scatter: the root sends each subtree its contiguous run of blocks in one
/// message, and every rank passes on the parts meant for its own children; log2 p rounds.</summary>
internal static unsafe class Binomial
{
    public static void Run(Communicator comm, byte* send, byte* receive, long block, int root, int tag)
    {
        int p = comm.Size, me = comm.Rank, relative = (me - root + p) % p;
        int mask = 1;
        for (; mask < p && (relative & mask) == 0; mask <<= 1) { }
        // My subtree holds relative ranks [relative, relative + span).
        int span = relative == 0 ? p : Math.Min(mask, p - relative);
        if (span == 1 && relative != 0)
        {
            comm.ReceiveBytes(receive, block, (me - mask + p) % p, tag);
            return;
        }

        bool direct = relative == 0 && root == 0;
        using var scratch = direct ? default : new Scratch(span * block);
        byte* blocks = direct ? send : scratch.Pointer;
        if (relative == 0)
        {
            if (!direct)
            {
                long head = (long)(p - root) * block;
                Buffer.MemoryCopy(send + root * block, blocks, head, head);
                Buffer.MemoryCopy(send, blocks + head, (long)root * block, (long)root * block);
            }
        }
        else comm.ReceiveBytes(blocks, span * block, (me - mask + p) % p, tag);

        for (mask >>= 1; mask > 0; mask >>= 1)
        {
            int child = relative + mask;
            if (child < p) comm.SendBytes(blocks + mask * block, Math.Min(mask, p - child) * block, (me + mask) % p, tag);
        }
        if (blocks != receive) Buffer.MemoryCopy(blocks, receive, block, block);
    }
}
