using System.Runtime.CompilerServices;
using Cosched.Messaging.Collectives;

namespace Cosched.Messaging;

// The collective operations (MPI's blocking collectives). Every rank of the communicator must call
// the same collectives in the same order with matching arguments, as in MPI. Each call validates its
// arguments, pins the buffers, lets Selection pick an algorithm and runs it on the collective context.
public sealed unsafe partial class Communicator
{
    // ---- synchronisation and broadcast --------------------------------------------------------

    /// <summary>Returns when every rank of the communicator has entered the barrier.</summary>
    public void Barrier() => BarrierCore(TopologyOrNone);

    /// <param name="topology">Null inside one level of a two-level algorithm: a flat algorithm only.</param>
    internal void BarrierCore(SharedMemoryTopology? topology)
    {
        const int tag = Tags.Barrier;
        switch (Selection.Barrier(Size, topology))
        {
            case BarrierAlgorithm.RecursiveDoubling: Collectives.Barrier.RecursiveDoubling.Run(this, tag); break;
            case BarrierAlgorithm.Tree: Collectives.Barrier.Tree.Run(this, tag); break;
            case BarrierAlgorithm.TwoLevel: Collectives.Barrier.TwoLevel.Run(topology!); break;
            default: Collectives.Barrier.Dissemination.Run(this, tag); break;
        }
    }

    /// <summary>Copies the root's buffer into every rank's buffer (MPI_Bcast); all buffers have the same length.</summary>
    public void Bcast<T>(Span<T> buffer, int root) where T : unmanaged
    {
        CheckRoot(root);
        if (Size == 1) return;
        fixed (T* data = buffer) BcastCore((byte*)data, (long)buffer.Length * sizeof(T), root, TopologyOrNone);
    }

    /// <summary>Broadcasts one value from the root; every rank gets the root's value back.</summary>
    public T Bcast<T>(T value, int root) where T : unmanaged
    {
        Bcast(new Span<T>(ref value), root);
        return value;
    }

    internal void BcastCore(byte* buffer, long bytes, int root, SharedMemoryTopology? topology)
    {
        const int tag = Tags.Bcast;
        if (Size == 1) return;
        switch (Selection.Bcast(Size, bytes, topology))
        {
            case BcastAlgorithm.TwoLevel: Collectives.Bcast.TwoLevel.Run(this, topology!, buffer, bytes, root); break;
            case BcastAlgorithm.ScatterAllgather: Collectives.Bcast.ScatterAllgather.Run(this, buffer, bytes, root, tag); break;
            case BcastAlgorithm.Pipeline: Collectives.Bcast.Pipeline.Run(this, buffer, bytes, root, tag); break;
            default: Collectives.Bcast.Binomial.Run(this, buffer, bytes, root, tag); break;
        }
    }

    // ---- reductions ---------------------------------------------------------------------------

    /// <summary>Combines every rank's <paramref name="send"/> with <paramref name="op"/> into the root's
    /// <paramref name="receive"/> (MPI_Reduce); <paramref name="receive"/> may be empty on other ranks.</summary>
    public void Reduce<T>(ReadOnlySpan<T> send, Span<T> receive, ReduceOp<T> op, int root) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(op);
        CheckRoot(root);
        if (Rank == root) CheckLength(receive.Length, send.Length, nameof(receive), "Reduce");
        fixed (T* s = send)
        fixed (T* r = receive)
        {
            // The tree's root receives partial results into its buffer while it still reads its own
            // contribution, so an in-place or overlapping root contributes a copy.
            if (Rank == root && send.Overlaps(receive))
            {
                using var copy = CopyOf(send);
                ReduceCore((T*)copy.Pointer, r, send.Length, op, root, TopologyOrNone);
            }
            else ReduceCore(s, r, send.Length, op, root, TopologyOrNone);
        }
    }

    /// <summary>In-place Reduce: every rank contributes <paramref name="buffer"/>; the root's receives the result.</summary>
    public void Reduce<T>(Span<T> buffer, ReduceOp<T> op, int root) where T : unmanaged => Reduce(buffer, buffer, op, root);

    /// <summary>The root's <paramref name="send"/> and <paramref name="receive"/> must not overlap.</summary>
    internal void ReduceCore<T>(T* send, T* receive, int count, ReduceOp<T> op, int root, SharedMemoryTopology? topology = null) where T : unmanaged
    {
        const int tag = Tags.Reduce;
        long bytes = (long)count * sizeof(T);
        if (Size == 1)
        {
            Buffer.MemoryCopy(send, receive, bytes, bytes);
            return;
        }
        switch (Selection.Reduce(Size, bytes, count, op.IsCommutative, topology))
        {
            case ReduceAlgorithm.TwoLevel: Collectives.Reduce.TwoLevel.Run(this, topology!, send, receive, count, op, root); break;
            case ReduceAlgorithm.ReduceScatterGather: Collectives.Reduce.ReduceScatterGather.Run(this, send, receive, count, op, root, tag); break;
            default: Collectives.Reduce.Binomial.Run(this, send, receive, count, op, root, tag); break;
        }
    }

    /// <summary>Combines every rank's <paramref name="send"/> with <paramref name="op"/> into every rank's
    /// <paramref name="receive"/> (MPI_Allreduce).</summary>
    public void Allreduce<T>(ReadOnlySpan<T> send, Span<T> receive, ReduceOp<T> op) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(op);
        CheckLength(receive.Length, send.Length, nameof(receive), "Allreduce");
        fixed (T* s = send)
        fixed (T* r = receive)
            AllreduceCore(s, r, send.Length, op, TopologyOrNone);
    }

    /// <summary>In-place Allreduce: every rank's <paramref name="buffer"/> is replaced by the result.</summary>
    public void Allreduce<T>(Span<T> buffer, ReduceOp<T> op) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(op);
        fixed (T* b = buffer) AllreduceCore(b, b, buffer.Length, op, TopologyOrNone);
    }

    /// <summary>Allreduce of one value per rank; returns the result.</summary>
    public T Allreduce<T>(T value, ReduceOp<T> op) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(op);
        T result;
        AllreduceCore(&value, &result, 1, op, TopologyOrNone);
        return result;
    }

    internal void AllreduceCore<T>(T* send, T* receive, int count, ReduceOp<T> op, SharedMemoryTopology? topology) where T : unmanaged
    {
        const int tag = Tags.Allreduce;
        long bytes = (long)count * sizeof(T);
        switch (Selection.Allreduce(Size, bytes, count, op.IsCommutative, topology))
        {
            case AllreduceAlgorithm.TwoLevel: Collectives.Allreduce.TwoLevel.Run(topology!, send, receive, count, op); break;
            case AllreduceAlgorithm.Rabenseifner: Collectives.Allreduce.Rabenseifner.Run(this, send, receive, count, op, tag); break;
            case AllreduceAlgorithm.Ring: Collectives.Allreduce.Ring.Run(this, send, receive, count, op, tag); break;
            case AllreduceAlgorithm.ReduceBcast: Collectives.Allreduce.ReduceBcast.Run(this, send, receive, count, op, tag); break;
            default: Collectives.Allreduce.RecursiveDoubling.Run(this, send, receive, count, op, tag); break;
        }
    }

    /// <summary>Reduces element-wise, then leaves block r of the result (<paramref name="receiveCounts"/>[r]
    /// elements, blocks in rank order) on rank r (MPI_Reduce_scatter).</summary>
    public void ReduceScatter<T>(ReadOnlySpan<T> send, Span<T> receive, ReadOnlySpan<int> receiveCounts, ReduceOp<T> op) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(op);
        CheckCounts(receiveCounts, "receiveCounts", "ReduceScatter");
        long total = 0;
        foreach (int c in receiveCounts) total += c;
        CheckLength(send.Length, total, nameof(send), "ReduceScatter");
        CheckLength(receive.Length, receiveCounts[Rank], nameof(receive), "ReduceScatter");
        ReduceScatterCore(send, receive, receiveCounts, op, Collective.ReduceScatter, Tags.ReduceScatter);
    }

    /// <summary>ReduceScatter with the same block size on every rank: the block is
    /// <paramref name="receive"/>.Length and <paramref name="send"/> holds Size blocks (MPI_Reduce_scatter_block).</summary>
    public void ReduceScatterBlock<T>(ReadOnlySpan<T> send, Span<T> receive, ReduceOp<T> op) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(op);
        int block = receive.Length;
        CheckLength(send.Length, (long)block * Size, nameof(send), "ReduceScatterBlock");
        using var countsBuffer = new Scratch((long)Size * sizeof(int));
        var counts = new Span<int>(countsBuffer.Pointer, Size);
        counts.Fill(block);
        ReduceScatterCore(send, receive, counts, op, Collective.ReduceScatterBlock, Tags.ReduceScatterBlock);
    }

    private void ReduceScatterCore<T>(ReadOnlySpan<T> send, Span<T> receive, ReadOnlySpan<int> counts, ReduceOp<T> op,
        Collective collective, int tag) where T : unmanaged
    {
        long total = 0;
        foreach (int c in counts) total += c;
        fixed (T* s0 = send)
        fixed (T* r = receive)
        {
            // The algorithms read the send buffer to the end, so it must not share memory with the result.
            using var copy = send.Overlaps(receive) ? CopyOf(send) : default;
            T* s = copy.IsRented ? (T*)copy.Pointer : s0;
            switch (Selection.ReduceScatter(collective, total * sizeof(T), op.IsCommutative))
            {
                case ReduceScatterAlgorithm.RecursiveHalving: Collectives.ReduceScatter.RecursiveHalving.Run(this, s, r, counts, op, tag); break;
                case ReduceScatterAlgorithm.Pairwise: Collectives.ReduceScatter.Pairwise.Run(this, s, r, counts, op, tag); break;
                case ReduceScatterAlgorithm.Ring: Collectives.ReduceScatter.Ring.Run(this, s, r, counts, op, tag); break;
                default: Collectives.ReduceScatter.ReduceThenScatter.Run(this, s, r, counts, op, tag); break;
            }
        }
    }

    /// <summary>Inclusive prefix reduction: rank r receives send(0) ∘ ... ∘ send(r) (MPI_Scan).</summary>
    public void Scan<T>(ReadOnlySpan<T> send, Span<T> receive, ReduceOp<T> op) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(op);
        CheckLength(receive.Length, send.Length, nameof(receive), "Scan");
        fixed (T* s = send)
        fixed (T* r = receive)
            ScanCore(s, r, send.Length, op, Collective.Scan, Tags.Scan);
    }

    /// <summary>In-place Scan.</summary>
    public void Scan<T>(Span<T> buffer, ReduceOp<T> op) where T : unmanaged => Scan(buffer, buffer, op);

    /// <summary>Exclusive prefix reduction: rank r receives send(0) ∘ ... ∘ send(r-1); rank 0's
    /// <paramref name="receive"/> is left untouched (MPI_Exscan).</summary>
    public void Exscan<T>(ReadOnlySpan<T> send, Span<T> receive, ReduceOp<T> op) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(op);
        CheckLength(receive.Length, send.Length, nameof(receive), "Exscan");
        fixed (T* s = send)
        fixed (T* r = receive)
            ScanCore(s, r, send.Length, op, Collective.Exscan, Tags.Exscan);
    }

    /// <summary>In-place Exscan (rank 0's buffer keeps its values).</summary>
    public void Exscan<T>(Span<T> buffer, ReduceOp<T> op) where T : unmanaged => Exscan(buffer, buffer, op);

    private void ScanCore<T>(T* send, T* receive, int count, ReduceOp<T> op, Collective collective, int tag) where T : unmanaged
    {
        bool linear = Selection.Scan(collective, Size) == ScanAlgorithm.Linear;
        if (collective == Collective.Scan)
        {
            if (linear) Collectives.Scan.Linear.Run(this, send, receive, count, op, tag);
            else Collectives.Scan.RecursiveDoubling.Run(this, send, receive, count, op, tag);
        }
        else
        {
            if (linear) Collectives.Exscan.Linear.Run(this, send, receive, count, op, tag);
            else Collectives.Exscan.RecursiveDoubling.Run(this, send, receive, count, op, tag);
        }
    }

    // ---- gather and scatter -------------------------------------------------------------------

    /// <summary>Collects every rank's <paramref name="send"/> (all the same length) into the root's
    /// <paramref name="receive"/>, in rank order (MPI_Gather); <paramref name="receive"/> may be empty elsewhere.</summary>
    public void Gather<T>(ReadOnlySpan<T> send, Span<T> receive, int root) where T : unmanaged
    {
        CheckRoot(root);
        if (Rank == root)
        {
            CheckLength(receive.Length, (long)send.Length * Size, nameof(receive), "Gather");
            CheckInPlace(send, receive, Rank * send.Length, "Gather");
        }
        fixed (T* s = send)
        fixed (T* r = receive)
            GatherCore((byte*)s, (byte*)r, (long)send.Length * sizeof(T), root);
    }

    internal void GatherCore(byte* send, byte* receive, long block, int root)
    {
        const int tag = Tags.Gather;
        switch (Selection.Gather(Size, block))
        {
            case GatherAlgorithm.Binomial: Collectives.Gather.Binomial.Run(this, send, receive, block, root, tag); break;
            default: Collectives.Gather.Linear.Run(this, send, receive, block, root, tag); break;
        }
    }

    /// <summary>Gather with a block size per rank: rank r's <paramref name="send"/> lands at
    /// <paramref name="displacements"/>[r] of the root's <paramref name="receive"/> (MPI_Gatherv). Counts and
    /// displacements are in elements and significant at the root only.</summary>
    public void Gatherv<T>(ReadOnlySpan<T> send, Span<T> receive, ReadOnlySpan<int> receiveCounts, ReadOnlySpan<int> displacements, int root)
        where T : unmanaged
    {
        CheckRoot(root);
        if (Rank == root)
        {
            CheckLayout(receiveCounts, displacements, receive.Length, "receiveCounts", "Gatherv");
            if (receiveCounts[Rank] != send.Length)
                throw new ArgumentException($"Gatherv: the root sends {send.Length} elements but receiveCounts[{Rank}] is {receiveCounts[Rank]}", nameof(send));
            CheckInPlace(send, receive, displacements[Rank], "Gatherv");
        }
        fixed (T* s = send)
        fixed (T* r = receive)
        {
            _ = Selection.Gatherv();
            Collectives.Gatherv.Linear.Run(this, (byte*)s, (long)send.Length * sizeof(T), (byte*)r, receiveCounts, displacements, sizeof(T), root, Tags.Gatherv);
        }
    }

    /// <summary>Hands block r of the root's <paramref name="send"/> to rank r's <paramref name="receive"/>
    /// (MPI_Scatter); the block size is <paramref name="receive"/>.Length, <paramref name="send"/> may be empty off the root.</summary>
    public void Scatter<T>(ReadOnlySpan<T> send, Span<T> receive, int root) where T : unmanaged
    {
        CheckRoot(root);
        if (Rank == root)
        {
            CheckLength(send.Length, (long)receive.Length * Size, nameof(send), "Scatter");
            CheckInPlace(receive, send, Rank * receive.Length, "Scatter");
        }
        long block = (long)receive.Length * sizeof(T);
        fixed (T* s = send)
        fixed (T* r = receive)
        {
            const int tag = Tags.Scatter;
            switch (Selection.Scatter(Size, block))
            {
                case ScatterAlgorithm.Binomial: Collectives.Scatter.Binomial.Run(this, (byte*)s, (byte*)r, block, root, tag); break;
                default: Collectives.Scatter.Linear.Run(this, (byte*)s, (byte*)r, block, root, tag); break;
            }
        }
    }

    /// <summary>Scatter with a block size per rank: rank r receives <paramref name="sendCounts"/>[r] elements
    /// from <paramref name="displacements"/>[r] of the root's <paramref name="send"/> (MPI_Scatterv).</summary>
    public void Scatterv<T>(ReadOnlySpan<T> send, ReadOnlySpan<int> sendCounts, ReadOnlySpan<int> displacements, Span<T> receive, int root)
        where T : unmanaged
    {
        CheckRoot(root);
        if (Rank == root)
        {
            CheckLayout(sendCounts, displacements, send.Length, "sendCounts", "Scatterv");
            CheckLength(receive.Length, sendCounts[Rank], nameof(receive), "Scatterv");
            CheckInPlace(receive, send, displacements[Rank], "Scatterv");
        }
        fixed (T* s = send)
        fixed (T* r = receive)
        {
            _ = Selection.Scatterv();
            Collectives.Scatterv.Linear.Run(this, (byte*)s, sendCounts, displacements, (byte*)r, (long)receive.Length * sizeof(T), sizeof(T), root, Tags.Scatterv);
        }
    }

    // ---- all-to-all patterns ------------------------------------------------------------------

    /// <summary>Gathers every rank's <paramref name="send"/> (all the same length) into every rank's
    /// <paramref name="receive"/>, in rank order (MPI_Allgather).</summary>
    public void Allgather<T>(ReadOnlySpan<T> send, Span<T> receive) where T : unmanaged
    {
        CheckLength(receive.Length, (long)send.Length * Size, nameof(receive), "Allgather");
        CheckInPlace(send, receive, Rank * send.Length, "Allgather");
        fixed (T* s = send)
        fixed (T* r = receive)
            AllgatherCore((byte*)s, (byte*)r, (long)send.Length * sizeof(T), TopologyOrNone);
    }

    /// <summary>In-place Allgather: each rank's block already sits at its place in <paramref name="buffer"/>
    /// (Size blocks of buffer.Length / Size elements).</summary>
    public void Allgather<T>(Span<T> buffer) where T : unmanaged
    {
        if (buffer.Length % Size != 0)
            throw new ArgumentException($"Allgather: the buffer's {buffer.Length} elements are not {Size} equal blocks", nameof(buffer));
        long block = (long)(buffer.Length / Size) * sizeof(T);
        fixed (T* b = buffer) AllgatherCore((byte*)b + Rank * block, (byte*)b, block, TopologyOrNone);
    }

    internal void AllgatherCore(byte* send, byte* receive, long block, SharedMemoryTopology? topology)
    {
        const int tag = Tags.Allgather;
        switch (Selection.Allgather(Size, block * Size, topology))
        {
            case AllgatherAlgorithm.TwoLevel: Collectives.Allgather.TwoLevel.Run(this, topology!, send, receive, block); break;
            case AllgatherAlgorithm.RecursiveDoubling: Collectives.Allgather.RecursiveDoubling.Run(this, send, receive, block, tag); break;
            case AllgatherAlgorithm.Bruck: Collectives.Allgather.Bruck.Run(this, send, receive, block, tag); break;
            default: Collectives.Allgather.Ring.Run(this, send, receive, block, tag); break;
        }
    }

    /// <summary>Allgather with a block size per rank: rank r's <paramref name="send"/> lands at
    /// <paramref name="displacements"/>[r] of every rank's <paramref name="receive"/> (MPI_Allgatherv).</summary>
    public void Allgatherv<T>(ReadOnlySpan<T> send, Span<T> receive, ReadOnlySpan<int> receiveCounts, ReadOnlySpan<int> displacements)
        where T : unmanaged
    {
        CheckLayout(receiveCounts, displacements, receive.Length, "receiveCounts", "Allgatherv");
        if (receiveCounts[Rank] != send.Length)
            throw new ArgumentException($"Allgatherv: rank {Rank} sends {send.Length} elements but receiveCounts[{Rank}] is {receiveCounts[Rank]}", nameof(send));
        CheckInPlace(send, receive, displacements[Rank], "Allgatherv");
        fixed (T* s = send)
        fixed (T* r = receive)
            AllgathervCore((byte*)s, (byte*)r, receiveCounts, displacements, sizeof(T));
    }

    /// <summary>Allgatherv on bytes: counts and displacements in units of <paramref name="elementSize"/> bytes.</summary>
    internal void AllgathervCore(byte* send, byte* receive, ReadOnlySpan<int> counts, ReadOnlySpan<int> displacements, int elementSize)
    {
        const int tag = Tags.Allgatherv;
        long total = 0;
        foreach (int c in counts) total += c;
        switch (Selection.Allgatherv(total * elementSize))
        {
            case AllgathervAlgorithm.Bruck: Collectives.Allgatherv.Bruck.Run(this, send, receive, counts, displacements, elementSize, tag); break;
            default: Collectives.Allgatherv.Ring.Run(this, send, receive, counts, displacements, elementSize, tag); break;
        }
    }

    /// <summary>Sends block j of <paramref name="send"/> (Size equal blocks) to rank j, which stores it as
    /// block i of its <paramref name="receive"/> when it comes from rank i (MPI_Alltoall).</summary>
    public void Alltoall<T>(ReadOnlySpan<T> send, Span<T> receive) where T : unmanaged
    {
        if (send.Length % Size != 0)
            throw new ArgumentException($"Alltoall: send's {send.Length} elements are not {Size} equal blocks", nameof(send));
        CheckLength(receive.Length, send.Length, nameof(receive), "Alltoall");
        CheckDisjoint(send, receive, "Alltoall");
        long block = (long)(send.Length / Size) * sizeof(T);
        fixed (T* s = send)
        fixed (T* r = receive)
        {
            const int tag = Tags.Alltoall;
            switch (Selection.Alltoall(Size, block))
            {
                case AlltoallAlgorithm.Bruck: Collectives.Alltoall.Bruck.Run(this, (byte*)s, (byte*)r, block, tag); break;
                case AlltoallAlgorithm.Linear: Collectives.Alltoall.Linear.Run(this, (byte*)s, (byte*)r, block, tag); break;
                default: Collectives.Alltoall.Pairwise.Run(this, (byte*)s, (byte*)r, block, tag); break;
            }
        }
    }

    /// <summary>All-to-all with a block size per pair (MPI_Alltoallv): <paramref name="sendCounts"/>[j] elements
    /// from <paramref name="sendDisplacements"/>[j] go to rank j, and rank i's block lands at
    /// <paramref name="receiveDisplacements"/>[i]; counts and displacements are in elements.</summary>
    public void Alltoallv<T>(ReadOnlySpan<T> send, ReadOnlySpan<int> sendCounts, ReadOnlySpan<int> sendDisplacements,
        Span<T> receive, ReadOnlySpan<int> receiveCounts, ReadOnlySpan<int> receiveDisplacements) where T : unmanaged
    {
        CheckLayout(sendCounts, sendDisplacements, send.Length, "sendCounts", "Alltoallv");
        CheckLayout(receiveCounts, receiveDisplacements, receive.Length, "receiveCounts", "Alltoallv");
        CheckDisjoint(send, receive, "Alltoallv");
        if (sendCounts[Rank] != receiveCounts[Rank])
            throw new ArgumentException($"Alltoallv: rank {Rank} sends itself {sendCounts[Rank]} elements but expects {receiveCounts[Rank]}", nameof(receiveCounts));
        long total = 0;
        foreach (int c in sendCounts) total += c;
        fixed (T* s = send)
        fixed (T* r = receive)
        {
            const int tag = Tags.Alltoallv;
            switch (Selection.Alltoallv(Size, total * sizeof(T) / Size))
            {
                case AlltoallvAlgorithm.Pairwise:
                    Collectives.Alltoallv.Pairwise.Run(this, (byte*)s, sendCounts, sendDisplacements, (byte*)r, receiveCounts, receiveDisplacements, sizeof(T), tag);
                    break;
                default:
                    Collectives.Alltoallv.Linear.Run(this, (byte*)s, sendCounts, sendDisplacements, (byte*)r, receiveCounts, receiveDisplacements, sizeof(T), tag);
                    break;
            }
        }
    }

    /// <summary>The shared-memory groups for the collectives that have two-level algorithms (none for a
    /// single rank). Built by an exchange at the first such collective, the same call on every rank.</summary>
    private SharedMemoryTopology? TopologyOrNone => Size > 1 ? Topology : null;

    // ---- argument checks ----------------------------------------------------------------------

    private void CheckRoot(int root)
    {
        if ((uint)root >= (uint)Size)
            throw new ArgumentOutOfRangeException(nameof(root), $"root {root} is not in this communicator of {Size} ranks");
    }

    private static void CheckLength(int length, long needed, string name, string collective)
    {
        if (length < needed)
            throw new ArgumentException($"{collective}: {name} holds {length} elements but needs {needed}", name);
    }

    private void CheckCounts(ReadOnlySpan<int> counts, string name, string collective)
    {
        if (counts.Length != Size)
            throw new ArgumentException($"{collective}: {name} has {counts.Length} entries for {Size} ranks", name);
        for (int r = 0; r < counts.Length; r++)
            if (counts[r] < 0) throw new ArgumentException($"{collective}: {name}[{r}] is negative ({counts[r]})", name);
    }

    /// <summary>Counts and displacements (in elements) describe Size blocks inside a buffer of <paramref name="length"/>.</summary>
    private void CheckLayout(ReadOnlySpan<int> counts, ReadOnlySpan<int> displacements, int length, string name, string collective)
    {
        CheckCounts(counts, name, collective);
        if (displacements.Length != Size)
            throw new ArgumentException($"{collective}: the displacements have {displacements.Length} entries for {Size} ranks", nameof(displacements));
        for (int r = 0; r < Size; r++)
        {
            if (displacements[r] < 0 || (long)displacements[r] + counts[r] > length)
                throw new ArgumentException(
                    $"{collective}: block {r} ({counts[r]} elements at {displacements[r]}) does not fit the buffer of {length} elements", nameof(displacements));
        }
    }

    /// <summary>The small buffer may share memory with the large one only by being exactly its own
    /// block (MPI_IN_PLACE), which the algorithms recognise by address.</summary>
    private static void CheckInPlace<T>(ReadOnlySpan<T> own, ReadOnlySpan<T> all, int offset, string collective)
    {
        if (own.Overlaps(all) && !(own.Length > 0 && all.Length >= offset + own.Length && Unsafe.AreSame(
                ref Unsafe.AsRef(in own[0]), ref Unsafe.AsRef(in all[offset]))))
            throw new ArgumentException($"{collective}: the buffers overlap; only the in-place layout (own block at its rank's place) is allowed");
    }

    private static void CheckDisjoint<T>(ReadOnlySpan<T> send, ReadOnlySpan<T> receive, string collective)
    {
        if (send.Overlaps(receive)) throw new ArgumentException($"{collective}: the send and receive buffers overlap");
    }

    /// <summary>A pinned copy of the elements, for algorithms that must not read what they write.</summary>
    private static Scratch CopyOf<T>(ReadOnlySpan<T> data) where T : unmanaged
    {
        var copy = new Scratch((long)data.Length * sizeof(T));
        data.CopyTo(new Span<T>(copy.Pointer, data.Length));
        return copy;
    }
}
