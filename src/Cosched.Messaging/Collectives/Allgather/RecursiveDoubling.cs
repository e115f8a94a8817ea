namespace Cosched.Messaging.Collectives.Allgather;

/// <summary>Recursive-doubling allgather: in round k each rank swaps everything it has with rank
/// XOR 2^k, doubling its data; log2 p rounds. Ranks beyond the largest power of two hand their block
/// to a partner first and get the whole result back at the end.</summary>
internal static unsafe class RecursiveDoubling
{
    public static void Run(Communicator comm, byte* send, byte* receive, long block, int tag)
    {
        int p = comm.Size, me = comm.Rank;
        if (send != receive + me * block) Buffer.MemoryCopy(send, receive + me * block, block, block);
        if (p == 1) return;
        int pof2 = Selection.PowerOfTwoBelow(p), rem = p - pof2, newrank;
        if (me < 2 * rem)
        {
            if (me % 2 == 0)
            {
                comm.SendBytes(receive + me * block, block, me + 1, tag);
                comm.ReceiveBytes(receive, p * block, me + 1, tag);
                return;
            }
            comm.ReceiveBytes(receive + (me - 1) * block, block, me - 1, tag);
            newrank = me / 2;
        }
        else newrank = me - rem;

        // Every group of ranks among the power of two covers a contiguous run of communicator ranks.
        for (int mask = 1; mask < pof2; mask <<= 1)
        {
            int partnerNew = newrank ^ mask;
            int mine = newrank & ~(mask - 1), theirs = partnerNew & ~(mask - 1);
            long mineAt = First(mine, rem) * block, theirsAt = First(theirs, rem) * block;
            int partner = partnerNew < rem ? 2 * partnerNew + 1 : partnerNew + rem;
            comm.SendrecvBytes(receive + mineAt, First(mine + mask, rem) * block - mineAt, partner,
                receive + theirsAt, First(theirs + mask, rem) * block - theirsAt, partner, tag);
        }
        if (me < 2 * rem) comm.SendBytes(receive, p * block, me - 1, tag);
    }

    /// <summary>First communicator rank whose block belongs to rank n among the power of two.</summary>
    private static long First(int n, int rem) => n < rem ? 2 * n : n + rem;
}
