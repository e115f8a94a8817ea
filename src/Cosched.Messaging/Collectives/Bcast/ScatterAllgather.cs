namespace Cosched.Messaging.Collectives.Bcast;

/// <summary>Van de Geijn's broadcast for long messages: the root scatters p chunks along a binomial
/// tree, then a ring allgather completes every copy; each rank moves about 2n bytes instead of
/// n log2 p.</summary>
internal static unsafe class ScatterAllgather
{
    public static void Run(Communicator comm, byte* buffer, long bytes, int root, int tag)
    {
        int p = comm.Size, me = comm.Rank;
        if (p == 1) return;
        int relative = (me - root + p) % p;
        long chunk = (bytes + p - 1) / p;

        // Binomial scatter: the subtree of relative rank r (below mask m) holds chunks [r, r+m).
        int mask = 1;
        for (; mask < p; mask <<= 1)
        {
            if ((relative & mask) != 0)
            {
                long from = Start(relative, chunk, bytes), to = Start(Math.Min(relative + mask, p), chunk, bytes);
                comm.ReceiveBytes(buffer + from, to - from, (me - mask + p) % p, tag);
                break;
            }
        }
        for (mask >>= 1; mask > 0; mask >>= 1)
        {
            int child = relative + mask;
            if (child >= p) continue;
            long from = Start(child, chunk, bytes), to = Start(Math.Min(child + mask, p), chunk, bytes);
            comm.SendBytes(buffer + from, to - from, (me + mask) % p, tag);
        }

        // Ring allgather of the chunks, in relative-rank numbering.
        int right = (me + 1) % p, left = (me - 1 + p) % p;
        for (int step = 0; step < p - 1; step++)
        {
            int sendChunk = (relative - step + p) % p, receiveChunk = (relative - step - 1 + p) % p;
            long sendFrom = Start(sendChunk, chunk, bytes), receiveFrom = Start(receiveChunk, chunk, bytes);
            comm.SendrecvBytes(buffer + sendFrom, Start(sendChunk + 1, chunk, bytes) - sendFrom, right,
                buffer + receiveFrom, Start(receiveChunk + 1, chunk, bytes) - receiveFrom, left, tag);
        }
    }

    /// <summary>Byte offset where chunk i starts (chunks past the end are empty).</summary>
    private static long Start(int i, long chunk, long bytes) => Math.Min(i * chunk, bytes);
}
