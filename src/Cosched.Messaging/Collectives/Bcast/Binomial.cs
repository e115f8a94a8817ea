namespace Cosched.Messaging.Collectives.Bcast;

/// <summary>Binomial-tree broadcast: each rank receives the whole message once from its parent and
/// forwards it to its children; log2 p rounds, best for short messages.</summary>
internal static unsafe class Binomial
{
    public static void Run(Communicator comm, byte* buffer, long bytes, int root, int tag)
    {
        int p = comm.Size, relative = (comm.Rank - root + p) % p;
        int mask = 1;
        for (; mask < p; mask <<= 1)
        {
            if ((relative & mask) != 0)
            {
                comm.ReceiveBytes(buffer, bytes, (comm.Rank - mask + p) % p, tag);
                break;
            }
        }
        for (mask >>= 1; mask > 0; mask >>= 1)
            if (relative + mask < p) comm.SendBytes(buffer, bytes, (comm.Rank + mask) % p, tag);
    }
}
