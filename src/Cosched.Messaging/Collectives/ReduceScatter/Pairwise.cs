namespace Cosched.Messaging.Collectives.ReduceScatter;

/// <summary>Pairwise-exchange reduce-scatter for long messages: in step i each rank sends the block of
/// rank+i straight from its send buffer and folds in the block rank-i sent it; p-1 independent
/// exchanges of n/p bytes. Needs a commutative operator.</summary>
internal static unsafe class Pairwise
{
    public static void Run<T>(Communicator comm, T* send, T* receive, ReadOnlySpan<int> counts, ReduceOp<T> op, int tag) where T : unmanaged
    {
        int p = comm.Size, me = comm.Rank;
        using var layout = new BlockLayout(counts);
        int count = counts[me];
        long mine = (long)count * sizeof(T);
        Buffer.MemoryCopy(send + layout.Start(me), receive, mine, mine);
        if (p == 1) return;
        using var scratch = new Scratch(mine);
        T* tmp = (T*)scratch.Pointer;
        for (int i = 1; i < p; i++)
        {
            int to = (me + i) % p, from = (me - i + p) % p;
            comm.SendrecvBytes((byte*)(send + layout.Start(to)), (long)counts[to] * sizeof(T), to, (byte*)tmp, mine, from, tag);
            op.Apply(tmp, receive, count);
        }
    }
}
