namespace Cosched.Messaging.Collectives.Bcast;

/// <summary>Two-level broadcast (MPICH's SMP-aware bcast, Open MPI's coll/han): the root's group gets
/// the data first, its leader broadcasts it among the leaders, and every other leader broadcasts it
/// inside its group. Each level runs the flat algorithm the table picks for its own size, and the
/// data crosses between groups once per group instead of once per rank.</summary>
internal static unsafe class TwoLevel
{
    public static void Run(Communicator comm, SharedMemoryTopology topology, byte* buffer, long bytes, int root)
    {
        int rootGroup = topology.GroupOf[root];
        bool inRootGroup = topology.GroupOf[comm.Rank] == rootGroup;
        // Rooted at the root itself, so the root's buffer is only read and no extra hop to the
        // leader is needed; the leader has the data when this returns.
        if (inRootGroup) topology.Local.BcastCore(buffer, bytes, topology.IndexInGroup[root], topology: null);
        topology.LeaderComm?.BcastCore(buffer, bytes, rootGroup, topology: null);
        if (!inRootGroup) topology.Local.BcastCore(buffer, bytes, root: 0, topology: null);
    }
}
