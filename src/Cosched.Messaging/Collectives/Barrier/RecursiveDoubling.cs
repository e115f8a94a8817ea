namespace Cosched.Messaging.Collectives.Barrier;

/// <summary>Recursive-doubling barrier: ranks beyond the largest power of two first check in with a
/// partner below it, the power of two exchange with rank XOR 2^k, then the partners release them.</summary>
internal static unsafe class RecursiveDoubling
{
    public static void Run(Communicator comm, int tag)
    {
        int p = comm.Size, me = comm.Rank;
        if (p == 1) return;
        int pof2 = Selection.PowerOfTwoBelow(p);
        byte token = 0, sink;
        if (me >= pof2)
        {
            comm.SendBytes(&token, 0, me - pof2, tag);
            comm.ReceiveBytes(&sink, 0, me - pof2, tag);
            return;
        }
        bool hasExtra = me + pof2 < p;
        if (hasExtra) comm.ReceiveBytes(&sink, 0, me + pof2, tag);
        for (int mask = 1; mask < pof2; mask <<= 1)
            comm.SendrecvBytes(&token, 0, me ^ mask, &sink, 0, me ^ mask, tag);
        if (hasExtra) comm.SendBytes(&token, 0, me + pof2, tag);
    }
}
