namespace Cosched.Messaging.Collectives.Reduce;

/// <summary>Binomial-tree reduction: each rank combines its children's partial results with its own
/// and passes the result to its parent; log2 p rounds, best for short messages. For operators that
/// are not commutative the tree is rooted at rank 0, so every subtree is a contiguous run of ranks
/// combined in order, and rank 0 forwards the result to the root.</summary>
internal static unsafe class Binomial
{
    public static void Run<T>(Communicator comm, T* send, T* receive, int count, ReduceOp<T> op, int root, int tag) where T : unmanaged
    {
        int p = comm.Size, me = comm.Rank;
        long bytes = (long)count * sizeof(T);
        if (p == 1)
        {
            Buffer.MemoryCopy(send, receive, bytes, bytes);
            return;
        }
        int treeRoot = op.IsCommutative ? root : 0;
        int relative = (me - treeRoot + p) % p;

        int children = 0;
        for (int m = 1; m < p && (relative & m) == 0; m <<= 1)
            if (relative + m < p) children++;

        // Partial results alternate between two buffers; at the root the one that receives last is
        // the user's buffer, so the result needs no final copy.
        bool resultHere = me == treeRoot && me == root;
        using var scratch = children == 0 ? default : new Scratch(2 * bytes);
        T* first = (T*)scratch.Pointer, second = (T*)(scratch.Pointer + bytes);
        if (resultHere)
        {
            if (children % 2 == 1) first = receive;
            else second = receive;
        }

        T* acc = send;
        int received = 0;
        for (int mask = 1; mask < p; mask <<= 1)
        {
            if ((relative & mask) != 0)
            {
                comm.SendBytes((byte*)acc, bytes, (relative - mask + treeRoot) % p, tag);
                break;
            }
            int child = relative + mask;
            if (child >= p) continue;
            T* target = received++ % 2 == 0 ? first : second;
            comm.ReceiveBytes((byte*)target, bytes, (child + treeRoot) % p, tag);
            op.Apply(acc, target, count); // target = mine ∘ child's: the child holds the higher ranks
            acc = target;
        }

        if (me == treeRoot && me != root) comm.SendBytes((byte*)acc, bytes, root, tag);
        else if (me == root && me != treeRoot) comm.ReceiveBytes((byte*)receive, bytes, treeRoot, tag);
    }
}
