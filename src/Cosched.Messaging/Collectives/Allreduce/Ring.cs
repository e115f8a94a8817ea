namespace Cosched.Messaging.Collectives.Allreduce;

/// <summary>Ring allreduce for long messages (bandwidth-optimal, as in Baidu's and NCCL's): p-1 steps
/// of ring reduce-scatter, then p-1 steps of ring allgather, each moving n/p bytes to the right
/// neighbour. Needs a commutative operator (the selection falls back otherwise).</summary>
internal static unsafe class Ring
{
    public static void Run<T>(Communicator comm, T* send, T* receive, int count, ReduceOp<T> op, int tag) where T : unmanaged
    {
        int p = comm.Size, me = comm.Rank;
        long bytes = (long)count * sizeof(T);
        if (send != receive) Buffer.MemoryCopy(send, receive, bytes, bytes);
        if (p == 1) return;
        var chunks = new Chunks(count, p);
        using var scratch = new Scratch((long)chunks.Length(0) * sizeof(T));
        T* tmp = (T*)scratch.Pointer;
        int right = (me + 1) % p, left = (me - 1 + p) % p;

        // After step s, chunk me-s-1 holds the sum of ranks me-s-1 .. me; rank me ends owning chunk me+1.
        for (int step = 0; step < p - 1; step++)
        {
            int sendChunk = (me - step + p) % p, receiveChunk = (me - step - 1 + p) % p;
            comm.SendrecvBytes((byte*)(receive + chunks.Start(sendChunk)), (long)chunks.Length(sendChunk) * sizeof(T), right,
                (byte*)tmp, (long)chunks.Length(receiveChunk) * sizeof(T), left, tag);
            op.Apply(tmp, receive + chunks.Start(receiveChunk), chunks.Length(receiveChunk));
        }
        for (int step = 0; step < p - 1; step++)
        {
            int sendChunk = (me + 1 - step + p) % p, receiveChunk = (me - step + p) % p;
            comm.SendrecvBytes((byte*)(receive + chunks.Start(sendChunk)), (long)chunks.Length(sendChunk) * sizeof(T), right,
                (byte*)(receive + chunks.Start(receiveChunk)), (long)chunks.Length(receiveChunk) * sizeof(T), left, tag);
        }
    }
}
