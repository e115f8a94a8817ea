using System.Runtime.InteropServices;
using Cosched.Messaging;

namespace Cosched.Mpi;

/// <summary>Every blocking collective, on the bytes of the datatype (packed when it is not
/// contiguous), with MPI_IN_PLACE; the reductions go through <see cref="TypedReduction"/> to the same
/// typed algorithms C# programs use, or, for operations a program made, through a gather in rank order.</summary>
internal static unsafe class CollectiveCalls
{
    private static bool InPlace(void* buffer) => (nint)buffer == Constants.InPlace;

    [UnmanagedCallersOnly(EntryPoint = "MPI_Barrier")]
    public static int Barrier(int comm)
    {
        try { MpiSession.Comm(comm).Communicator.Barrier(); return 0; }
        catch (Exception e) { return Errors.Fail("MPI_Barrier", comm, e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "MPI_Bcast")]
    public static int Bcast(void* buffer, int count, int type, int root, int comm)
    {
        try
        {
            var c = MpiSession.Comm(comm).Communicator;
            var t = Datatypes.Get(type);
            var bytes = c.Rank == root ? Buffers.ToSend(buffer, count, t, out var rented) : Buffers.ToReceive(buffer, count, t, out rented);
            fixed (byte* p = bytes)
                c.Bcast(new Span<byte>(p, bytes.Length), root);
            if (c.Rank == root) Buffers.Return(rented);
            else Buffers.Finish(rented, bytes.Length, buffer, t);
            return 0;
        }
        catch (Exception e) { return Errors.Fail("MPI_Bcast", comm, e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "MPI_Gather")]
    public static int Gather(void* sendbuf, int sendcount, int sendtype, void* recvbuf, int recvcount, int recvtype, int root, int comm)
    {
        try
        {
            var c = MpiSession.Comm(comm).Communicator;
            bool isRoot = c.Rank == root;
            var rt = isRoot ? Datatypes.Get(recvtype) : null;
            byte[]? receiveRented = null;
            var receive = isRoot ? Buffers.ToReceive(recvbuf, checked(recvcount * c.Size), rt!, out receiveRented) : default;
            // In place, the root's part is already in its slot of the receive buffer.
            // The caller's memory itself when contiguous: copying megabytes per call is what slowed FT's transposes.
            byte[]? sendRented = null;
            ReadOnlySpan<byte> send = isRoot && InPlace(sendbuf) ? Own(recvbuf, recvcount, rt!, c.Rank) : Buffers.ToSend(sendbuf, sendcount, Datatypes.Get(sendtype), out sendRented);
            c.Gather<byte>(send, receive, root);
            Buffers.Return(sendRented);
            if (isRoot) Buffers.Finish(receiveRented, receive.Length, recvbuf, rt!);
            return 0;
        }
        catch (Exception e) { return Errors.Fail("MPI_Gather", comm, e); }
    }

    /// <summary>A copy of block <paramref name="block"/> of a buffer (an in-place caller's own contribution).</summary>
    private static byte[] Own(void* buffer, int count, Datatype type, int block)
    {
        var bytes = new byte[Buffers.Bytes(count, type)];
        fixed (byte* to = bytes) type.Pack((byte*)buffer + (long)block * count * type.Extent, count, to);
        return bytes;
    }

    [UnmanagedCallersOnly(EntryPoint = "MPI_Gatherv")]
    public static int Gatherv(void* sendbuf, int sendcount, int sendtype, void* recvbuf, int* recvcounts, int* displs, int recvtype, int root, int comm)
    {
        try
        {
            var c = MpiSession.Comm(comm).Communicator;
            bool isRoot = c.Rank == root;
            if (!isRoot)
            {
                var mine = Buffers.ToSend(sendbuf, sendcount, Datatypes.Get(sendtype), out var rented);
                c.Gatherv(mine, Span<byte>.Empty, ReadOnlySpan<int>.Empty, ReadOnlySpan<int>.Empty, root);
                Buffers.Return(rented);
                return 0;
            }
            var rt = Datatypes.Get(recvtype);
            var layout = Layout.Of(c.Size, recvcounts, displs, rt);
            byte[]? sendRented = null;
            ReadOnlySpan<byte> send = InPlace(sendbuf) ? layout.Copy(recvbuf, c.Rank) : Buffers.ToSend(sendbuf, sendcount, Datatypes.Get(sendtype), out sendRented);
            c.Gatherv<byte>(send, layout.Staging(recvbuf), layout.Counts, layout.Displacements, root);
            Buffers.Return(sendRented);
            layout.Finish(recvbuf);
            return 0;
        }
        catch (Exception e) { return Errors.Fail("MPI_Gatherv", comm, e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "MPI_Scatter")]
    public static int Scatter(void* sendbuf, int sendcount, int sendtype, void* recvbuf, int recvcount, int recvtype, int root, int comm)
    {
        try
        {
            var c = MpiSession.Comm(comm).Communicator;
            bool isRoot = c.Rank == root;
            var send = isRoot ? Buffers.ToSend(sendbuf, checked(sendcount * c.Size), Datatypes.Get(sendtype), out var sendRented) : default;
            if (isRoot && InPlace(recvbuf))
            {
                var scratch = new byte[send.Length / c.Size];
                c.Scatter<byte>(send, scratch, root);
            }
            else
            {
                var rt = Datatypes.Get(recvtype);
                var receive = Buffers.ToReceive(recvbuf, recvcount, rt, out var rented);
                c.Scatter(send, receive, root);
                Buffers.Finish(rented, receive.Length, recvbuf, rt);
            }
            return 0;
        }
        catch (Exception e) { return Errors.Fail("MPI_Scatter", comm, e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "MPI_Scatterv")]
    public static int Scatterv(void* sendbuf, int* sendcounts, int* displs, int sendtype, void* recvbuf, int recvcount, int recvtype, int root, int comm)
    {
        try
        {
            var c = MpiSession.Comm(comm).Communicator;
            bool isRoot = c.Rank == root;
            Layout? layout = isRoot ? Layout.Of(c.Size, sendcounts, displs, Datatypes.Get(sendtype)) : null;
            var send = layout != null ? layout.Packed(sendbuf) : ReadOnlySpan<byte>.Empty;
            if (isRoot && InPlace(recvbuf))
            {
                c.Scatterv<byte>(send, layout!.Counts, layout.Displacements, new byte[layout.Counts[c.Rank]], root);
                return 0;
            }
            var rt = Datatypes.Get(recvtype);
            var receive = Buffers.ToReceive(recvbuf, recvcount, rt, out var rented);
            c.Scatterv<byte>(send, layout != null ? layout.Counts : ReadOnlySpan<int>.Empty, layout != null ? layout.Displacements : ReadOnlySpan<int>.Empty, receive, root);
            Buffers.Finish(rented, receive.Length, recvbuf, rt);
            return 0;
        }
        catch (Exception e) { return Errors.Fail("MPI_Scatterv", comm, e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "MPI_Allgather")]
    public static int Allgather(void* sendbuf, int sendcount, int sendtype, void* recvbuf, int recvcount, int recvtype, int comm)
    {
        try
        {
            var c = MpiSession.Comm(comm).Communicator;
            var rt = Datatypes.Get(recvtype);
            byte[]? sendRented = null;
            ReadOnlySpan<byte> send = InPlace(sendbuf) ? Own(recvbuf, recvcount, rt, c.Rank) : Buffers.ToSend(sendbuf, sendcount, Datatypes.Get(sendtype), out sendRented);
            var receive = Buffers.ToReceive(recvbuf, checked(recvcount * c.Size), rt, out var rented);
            c.Allgather<byte>(send, receive);
            Buffers.Return(sendRented);
            Buffers.Finish(rented, receive.Length, recvbuf, rt);
            return 0;
        }
        catch (Exception e) { return Errors.Fail("MPI_Allgather", comm, e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "MPI_Allgatherv")]
    public static int Allgatherv(void* sendbuf, int sendcount, int sendtype, void* recvbuf, int* recvcounts, int* displs, int recvtype, int comm)
    {
        try
        {
            var c = MpiSession.Comm(comm).Communicator;
            var layout = Layout.Of(c.Size, recvcounts, displs, Datatypes.Get(recvtype));
            byte[]? sendRented = null;
            ReadOnlySpan<byte> send = InPlace(sendbuf) ? layout.Copy(recvbuf, c.Rank) : Buffers.ToSend(sendbuf, sendcount, Datatypes.Get(sendtype), out sendRented);
            c.Allgatherv<byte>(send, layout.Staging(recvbuf), layout.Counts, layout.Displacements);
            Buffers.Return(sendRented);
            layout.Finish(recvbuf);
            return 0;
        }
        catch (Exception e) { return Errors.Fail("MPI_Allgatherv", comm, e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "MPI_Alltoall")]
    public static int Alltoall(void* sendbuf, int sendcount, int sendtype, void* recvbuf, int recvcount, int recvtype, int comm)
    {
        try
        {
            var c = MpiSession.Comm(comm).Communicator;
            var rt = Datatypes.Get(recvtype);
            // In place the data must be copied out first: it is received into the same memory.
            byte[]? sendRented = null;
            ReadOnlySpan<byte> send = InPlace(sendbuf) ? Own(recvbuf, checked(recvcount * c.Size), rt, 0)
                : Buffers.ToSend(sendbuf, checked(sendcount * c.Size), Datatypes.Get(sendtype), out sendRented);
            var receive = Buffers.ToReceive(recvbuf, checked(recvcount * c.Size), rt, out var rented);
            c.Alltoall<byte>(send, receive);
            Buffers.Return(sendRented);
            Buffers.Finish(rented, receive.Length, recvbuf, rt);
            return 0;
        }
        catch (Exception e) { return Errors.Fail("MPI_Alltoall", comm, e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "MPI_Alltoallv")]
    public static int Alltoallv(void* sendbuf, int* sendcounts, int* sdispls, int sendtype, void* recvbuf, int* recvcounts, int* rdispls, int recvtype, int comm)
    {
        try
        {
            var c = MpiSession.Comm(comm).Communicator;
            var receiving = Layout.Of(c.Size, recvcounts, rdispls, Datatypes.Get(recvtype));
            var sending = InPlace(sendbuf) ? receiving : Layout.Of(c.Size, sendcounts, sdispls, Datatypes.Get(sendtype));
            // In place the blocks are copied out first: they are received into the same memory.
            ReadOnlySpan<byte> send = InPlace(sendbuf) ? sending.Packed(recvbuf).ToArray() : sending.Packed(sendbuf);
            c.Alltoallv<byte>(send, sending.Counts, sending.Displacements, receiving.Staging(recvbuf), receiving.Counts, receiving.Displacements);
            receiving.Finish(recvbuf);
            return 0;
        }
        catch (Exception e) { return Errors.Fail("MPI_Alltoallv", comm, e); }
    }

    // ---- reductions ----------------------------------------------------------------------------

    [UnmanagedCallersOnly(EntryPoint = "MPI_Reduce")]
    public static int Reduce(void* sendbuf, void* recvbuf, int count, int type, int op, int root, int comm) =>
        Reduction("MPI_Reduce", ReductionKind.Reduce, sendbuf, recvbuf, count, type, op, root, comm);

    [UnmanagedCallersOnly(EntryPoint = "MPI_Allreduce")]
    public static int Allreduce(void* sendbuf, void* recvbuf, int count, int type, int op, int comm) =>
        Reduction("MPI_Allreduce", ReductionKind.Allreduce, sendbuf, recvbuf, count, type, op, 0, comm);

    [UnmanagedCallersOnly(EntryPoint = "MPI_Scan")]
    public static int Scan(void* sendbuf, void* recvbuf, int count, int type, int op, int comm) =>
        Reduction("MPI_Scan", ReductionKind.Scan, sendbuf, recvbuf, count, type, op, 0, comm);

    [UnmanagedCallersOnly(EntryPoint = "MPI_Exscan")]
    public static int Exscan(void* sendbuf, void* recvbuf, int count, int type, int op, int comm) =>
        Reduction("MPI_Exscan", ReductionKind.Exscan, sendbuf, recvbuf, count, type, op, 0, comm);

    [UnmanagedCallersOnly(EntryPoint = "MPI_Reduce_scatter_block")]
    public static int ReduceScatterBlock(void* sendbuf, void* recvbuf, int recvcount, int type, int op, int comm)
    {
        try
        {
            var c = MpiSession.Comm(comm).Communicator;
            var counts = Enumerable.Repeat(recvcount, c.Size).ToArray();
            fixed (int* p = counts) return ReduceScatterCore("MPI_Reduce_scatter_block", sendbuf, recvbuf, p, type, op, comm);
        }
        catch (Exception e) { return Errors.Fail("MPI_Reduce_scatter_block", comm, e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "MPI_Reduce_scatter")]
    public static int ReduceScatter(void* sendbuf, void* recvbuf, int* recvcounts, int type, int op, int comm) =>
        ReduceScatterCore("MPI_Reduce_scatter", sendbuf, recvbuf, recvcounts, type, op, comm);

    /// <summary>Reduce_scatter as an all-reduce of the whole vector, each rank keeping its block.</summary>
    private static int ReduceScatterCore(string function, void* sendbuf, void* recvbuf, int* recvcounts, int type, int op, int comm)
    {
        try
        {
            var c = MpiSession.Comm(comm).Communicator;
            var t = Datatypes.Get(type);
            int total = 0, before = 0;
            for (int r = 0; r < c.Size; r++)
            {
                if (r == c.Rank) before = total;
                total = checked(total + Buffers.Count(recvcounts[r], "receive count"));
            }
            var all = new byte[Buffers.Bytes(total, t)];
            fixed (byte* whole = all)
            {
                int code = ReductionCore(ReductionKind.Allreduce, InPlace(sendbuf) ? recvbuf : sendbuf, whole, total, type, op, 0, c);
                if (code != 0) return code;
                long offset = (long)before * t.Extent, bytes = (long)recvcounts[c.Rank] * t.Extent;
                Buffer.MemoryCopy(whole + offset, recvbuf, bytes, bytes);
            }
            return 0;
        }
        catch (Exception e) { return Errors.Fail(function, comm, e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "MPI_Reduce_local")]
    public static int ReduceLocal(void* inbuf, void* inoutbuf, int count, int type, int op)
    {
        try
        {
            var t = Datatypes.Get(type);
            if (!Operations.IsPredefined(op))
            {
                Operations.User.Get(op).Apply(inbuf, inoutbuf, Buffers.Count(count), type);
                return 0;
            }
            var call = new LocalReduction { Input = inbuf, InOut = inoutbuf, Bytes = (long)Buffers.Count(count) * t.Extent };
            TypedReduction.Dispatch(t, op, ref call);
            return 0;
        }
        catch (Exception e) { return Errors.Fail("MPI_Reduce_local", 0, e); }
    }

    private enum ReductionKind { Reduce, Allreduce, Scan, Exscan }

    private static int Reduction(string function, ReductionKind kind, void* sendbuf, void* recvbuf, int count, int type, int op, int root, int comm)
    {
        try
        {
            var c = MpiSession.Comm(comm).Communicator;
            return ReductionCore(kind, sendbuf, recvbuf, count, type, op, root, c);
        }
        catch (Exception e) { return Errors.Fail(function, comm, e); }
    }

    private static int ReductionCore(ReductionKind kind, void* sendbuf, void* recvbuf, int count, int type, int op, int root, Communicator c)
    {
        Buffers.Count(count);
        var t = Datatypes.Get(type);
        if (!Operations.IsPredefined(op))
        {
            UserReduction.Run(kind == ReductionKind.Reduce ? UserReduction.Kind.Reduce : kind == ReductionKind.Allreduce ? UserReduction.Kind.Allreduce
                : kind == ReductionKind.Scan ? UserReduction.Kind.Scan : UserReduction.Kind.Exscan,
                c, InPlace(sendbuf) ? null : sendbuf, recvbuf, count, t, Operations.User.Get(op), type, root);
            return 0;
        }
        var call = new CollectiveReduction
        {
            Kind = kind, Communicator = c, Send = InPlace(sendbuf) ? null : sendbuf, Receive = recvbuf,
            Bytes = (long)count * t.Extent, Root = root,
        };
        TypedReduction.Dispatch(t, op, ref call);
        return 0;
    }

    private struct CollectiveReduction : IReduction
    {
        public ReductionKind Kind;
        public Communicator Communicator;
        public void* Send, Receive;
        public long Bytes;
        public int Root;

        public void Run<T>(ReduceOp<T> op) where T : unmanaged
        {
            int n = checked((int)(Bytes / sizeof(T)));
            var c = Communicator;
            bool root = c.Rank == Root;
            // In place, the data is in the receive buffer (at the root for Reduce).
            var inPlace = Send == null;
            switch (Kind)
            {
                case ReductionKind.Allreduce:
                    if (inPlace) c.Allreduce(new Span<T>(Receive, n), op);
                    else c.Allreduce(new ReadOnlySpan<T>(Send, n), new Span<T>(Receive, n), op);
                    break;
                case ReductionKind.Reduce:
                    if (inPlace && root) c.Reduce(new Span<T>(Receive, n), op, Root);
                    else c.Reduce(new ReadOnlySpan<T>(Send, n), root ? new Span<T>(Receive, n) : new T[n], op, Root);
                    break;
                case ReductionKind.Scan:
                    if (inPlace) c.Scan(new Span<T>(Receive, n), op);
                    else c.Scan(new ReadOnlySpan<T>(Send, n), new Span<T>(Receive, n), op);
                    break;
                case ReductionKind.Exscan:
                    if (inPlace) c.Exscan(new Span<T>(Receive, n), op);
                    else c.Exscan(new ReadOnlySpan<T>(Send, n), new Span<T>(Receive, n), op);
                    break;
            }
        }
    }

    private struct LocalReduction : IReduction
    {
        public void* Input, InOut;
        public long Bytes;

        public void Run<T>(ReduceOp<T> op) where T : unmanaged
        {
            int n = checked((int)(Bytes / sizeof(T)));
            op.Apply(new ReadOnlySpan<T>(Input, n), new Span<T>(InOut, n));
        }
    }
}
