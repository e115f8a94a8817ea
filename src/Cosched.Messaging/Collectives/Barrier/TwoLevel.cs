namespace Cosched.Messaging.Collectives.Barrier;

/// <summary>Two-level barrier (MPICH's SMP-aware barrier): a barrier inside each shared-memory group,
/// one among the groups' leaders, then each leader releases its group. Only one rank per group
/// talks across groups, so a group of n ranks sends one group's worth of slow messages, not n.</summary>
internal static unsafe class TwoLevel
{
    public static void Run(SharedMemoryTopology topology)
    {
        // With a single level (one group, or groups of one) that level's barrier is the whole barrier.
        if (topology.GroupCount == 1 || topology.LargestGroup == 1)
        {
            (topology.LeaderComm is { Size: > 1 } leaders ? leaders : topology.Local).BarrierCore(topology: null);
            return;
        }
        // After the group's barrier its leader knows every member has arrived; after the leaders'
        // barrier it knows every group has; the empty broadcast tells its members.
        topology.Local.BarrierCore(topology: null);
        topology.LeaderComm?.BarrierCore(topology: null);
        byte none = 0;
        topology.Local.BcastCore(&none, 0, root: 0, topology: null);
    }
}
