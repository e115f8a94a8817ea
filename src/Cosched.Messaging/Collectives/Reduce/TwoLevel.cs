namespace Cosched.Messaging.Collectives.Reduce;

/// <summary>Two-level reduction (MPICH's SMP-aware reduce): reduce inside each shared-memory group to
/// its leader, reduce the groups' partial results among the leaders to the leader of the root's
/// group, which hands the result to the root if it is not the root itself. Operands keep rank order
/// only when the groups are runs of consecutive ranks; the table uses a flat algorithm for operators
/// that are not commutative otherwise.</summary>
internal static unsafe class TwoLevel
{
    public static void Run<T>(Communicator comm, SharedMemoryTopology topology, T* send, T* receive, int count, ReduceOp<T> op, int root)
        where T : unmanaged
    {
        var local = topology.Local;
        // With a single level (one group, or groups of one) that level's reduction is the whole one.
        if (topology.GroupCount == 1)
        {
            local.ReduceCore(send, receive, count, op, root);
            return;
        }
        if (topology.LargestGroup == 1)
        {
            topology.LeaderComm!.ReduceCore(send, receive, count, op, root);
            return;
        }
        const int tag = Tags.Reduce;
        long bytes = (long)count * sizeof(T);
        int rootGroup = topology.GroupOf[root];
        if (topology.LeaderComm is not { } leaders)
        {
            // Members' receive buffers are not written by the reduction (only its root's is).
            local.ReduceCore(send, receive, count, op, root: 0);
            if (comm.Rank == root) local.ReceiveBytes((byte*)receive, bytes, 0, tag);
            return;
        }
        using var buffers = new Scratch(2 * bytes);
        T* partial = (T*)buffers.Pointer, result = (T*)(buffers.Pointer + bytes);
        local.ReduceCore(send, partial, count, op, root: 0);
        if (comm.Rank == root) result = receive;
        leaders.ReduceCore(partial, result, count, op, rootGroup);
        if (topology.GroupOf[comm.Rank] == rootGroup && comm.Rank != root)
            local.SendBytes((byte*)result, bytes, topology.IndexInGroup[root], tag);
    }
}
