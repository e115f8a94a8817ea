namespace Cosched.Messaging.Collectives.Allreduce;

/// <summary>Two-level allreduce (MPICH's SMP-aware allreduce, Open MPI's coll/han): reduce inside each
/// shared-memory group to its leader, allreduce among the leaders, broadcast inside each group. Each
/// level runs the flat algorithm the table picks for its own size. Operands are combined in rank
/// order only when the groups are runs of consecutive ranks; the table falls back to a flat
/// algorithm for operators that are not commutative otherwise.</summary>
internal static unsafe class TwoLevel
{
    public static void Run<T>(SharedMemoryTopology topology, T* send, T* receive, int count, ReduceOp<T> op)
        where T : unmanaged
    {
        long bytes = (long)count * sizeof(T);
        var local = topology.Local;
        // With a single level (one group, or groups of one) that level's allreduce is the whole one.
        if (topology.GroupCount == 1)
        {
            local.AllreduceCore(send, receive, count, op, topology: null);
            return;
        }
        if (topology.LargestGroup == 1)
        {
            topology.LeaderComm!.AllreduceCore(send, receive, count, op, topology: null);
            return;
        }
        if (topology.LeaderComm is { } leaders)
        {
            // The group's partial result goes to a buffer of its own: with an in-place call the
            // user's buffer is still the leader's contribution while the group reduces.
            using var partial = new Scratch(bytes);
            local.ReduceCore(send, (T*)partial.Pointer, count, op, root: 0);
            leaders.AllreduceCore((T*)partial.Pointer, receive, count, op, topology: null);
        }
        else
        {
            // Members' receive buffers are not written by the reduction (only its root's is).
            local.ReduceCore(send, receive, count, op, root: 0);
        }
        local.BcastCore((byte*)receive, bytes, root: 0, topology: null);
    }
}
