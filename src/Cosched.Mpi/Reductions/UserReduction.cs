using Cosched.Messaging;

namespace Cosched.Mpi;

/// <summary>Reductions with an operation the program made (MPI_Op_create): its function works on
/// whole elements of the program's layout, which Cosched's pipelined algorithms would cut, so every
/// rank's contribution is gathered and combined in rank order (x0 ∘ x1 ∘ ... ∘ xk, right to left,
/// as MPI's inout = in ∘ inout wants). Correct for every operation; meant for the rare user op.</summary>
internal static unsafe class UserReduction
{
    public enum Kind { Reduce, Allreduce, Scan, Exscan }

    /// <param name="send">The contribution, or null: in place, in <paramref name="receive"/>.</param>
    public static void Run(Kind kind, Communicator c, void* send, void* receive, int count, Datatype type, UserOp op, int typeHandle, int root)
    {
        long bytes = count * type.Extent;
        var mine = new ReadOnlySpan<byte>(send != null ? send : receive, checked((int)bytes)).ToArray();
        var all = new byte[bytes * c.Size];
        c.Allgather<byte>(mine, all);
        int last = kind switch { Kind.Scan => c.Rank, Kind.Exscan => c.Rank - 1, _ => c.Size - 1 };
        if (last < 0 || (kind == Kind.Reduce && c.Rank != root)) return;
        var result = all.AsSpan((int)(last * bytes), (int)bytes).ToArray();
        fixed (byte* everything = all)
        fixed (byte* acc = result)
            for (int j = last - 1; j >= 0; j--) op.Apply(everything + j * bytes, acc, count, typeHandle);
        result.CopyTo(new Span<byte>(receive, (int)bytes));
    }
}
