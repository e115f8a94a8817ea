namespace Cosched.Messaging.Collectives.Barrier;

/// <summary>Dissemination barrier (Hensgen, Finkel, Manber): in round k every rank signals rank+2^k
/// and waits for rank-2^k; ceil(log2 p) rounds for any p, with no fold-in.</summary>
internal static unsafe class Dissemination
{
    public static void Run(Communicator comm, int tag)
    {
        int p = comm.Size, me = comm.Rank;
        byte token = 0, sink;
        for (int distance = 1; distance < p; distance <<= 1)
            comm.SendrecvBytes(&token, 0, (me + distance) % p, &sink, 0, (me - distance + p) % p, tag);
    }
}
