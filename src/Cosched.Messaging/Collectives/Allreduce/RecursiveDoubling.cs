using System.Runtime.CompilerServices;

namespace Cosched.Messaging.Collectives.Allreduce;

/// <summary>Recursive-doubling allreduce: in round k each rank exchanges its whole partial result with
/// rank XOR 2^k and combines; log2 p rounds, best for short messages. Ranks beyond the largest power
/// of two fold their data into a partner first and get the result back at the end.</summary>
[SkipLocalsInit]
internal static unsafe class RecursiveDoubling
{
    /// <summary>Messages up to this size use a stack buffer instead of the scratch pool.</summary>
    private const int StackBytes = 256;

    public static void Run<T>(Communicator comm, T* send, T* receive, int count, ReduceOp<T> op, int tag) where T : unmanaged
    {
        int p = comm.Size, me = comm.Rank;
        long bytes = (long)count * sizeof(T);
        if (send != receive) Buffer.MemoryCopy(send, receive, bytes, bytes);
        if (p == 1) return;

        byte* stack = stackalloc byte[StackBytes];
        using var scratch = bytes <= StackBytes ? default : new Scratch(bytes);
        T* acc = receive, other = (T*)(scratch.IsRented ? scratch.Pointer : stack);

        int pof2 = Selection.PowerOfTwoBelow(p), rem = p - pof2, newrank;
        if (me < 2 * rem)
        {
            if (me % 2 == 0)
            {
                comm.SendBytes((byte*)acc, bytes, me + 1, tag);
                comm.ReceiveBytes((byte*)receive, bytes, me + 1, tag);
                return;
            }
            comm.ReceiveBytes((byte*)other, bytes, me - 1, tag);
            op.Apply(other, acc, count);
            newrank = me / 2;
        }
        else newrank = me - rem;

        bool commutative = op.IsCommutative;
        for (int mask = 1; mask < pof2; mask <<= 1)
        {
            int partnerNew = newrank ^ mask;
            int partner = partnerNew < rem ? 2 * partnerNew + 1 : partnerNew + rem;
            comm.SendrecvBytes((byte*)acc, bytes, partner, (byte*)other, bytes, partner, tag);
            if (commutative || partnerNew < newrank) op.Apply(other, acc, count);
            else
            {
                // acc ∘ other, written into other: swap roles rather than copy back.
                op.Apply(acc, other, count);
                T* swap = acc;
                acc = other;
                other = swap;
            }
        }
        if (acc != receive) Buffer.MemoryCopy(acc, receive, bytes, bytes);
        if (me < 2 * rem) comm.SendBytes((byte*)receive, bytes, me - 1, tag);
    }
}
