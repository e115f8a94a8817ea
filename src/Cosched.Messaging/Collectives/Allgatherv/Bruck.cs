namespace Cosched.Messaging.Collectives.Allgatherv;

/// <summary>Bruck's allgather with a block size per rank: the blocks travel packed and rotated (my
/// own first) in ceil(log2 p) rounds, then are unpacked to their displacements.</summary>
internal static unsafe class Bruck
{
    public static void Run(Communicator comm, byte* send, byte* receive, ReadOnlySpan<int> counts, ReadOnlySpan<int> displacements,
        int elementSize, int tag)
    {
        int p = comm.Size, me = comm.Rank;
        long total = 0;
        for (int r = 0; r < p; r++) total += counts[r];
        using var scratch = new Scratch(total * elementSize);
        byte* packed = scratch.Pointer;
        long mineBytes = (long)counts[me] * elementSize;
        Buffer.MemoryCopy(send, packed, mineBytes, mineBytes);

        long have = mineBytes; // bytes of the first k rotated blocks
        for (int k = 1; k < p; k <<= 1)
        {
            int n = Math.Min(k, p - k);
            long sendBytes = 0, receiveBytes = 0;
            for (int j = 0; j < n; j++)
            {
                sendBytes += (long)counts[(me + j) % p] * elementSize;
                receiveBytes += (long)counts[(me + k + j) % p] * elementSize;
            }
            comm.SendrecvBytes(packed, sendBytes, (me - k + p) % p, packed + have, receiveBytes, (me + k) % p, tag);
            have += receiveBytes;
        }
        long offset = 0;
        for (int i = 0; i < p; i++)
        {
            int r = (me + i) % p;
            long bytes = (long)counts[r] * elementSize;
            Buffer.MemoryCopy(packed + offset, receive + (long)displacements[r] * elementSize, bytes, bytes);
            offset += bytes;
        }
    }
}
