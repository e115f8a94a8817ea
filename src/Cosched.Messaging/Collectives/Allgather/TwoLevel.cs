namespace Cosched.Messaging.Collectives.Allgather;

/// <summary>Two-level allgather (MPICH's SMP-aware allgather, Open MPI's coll/han): gather each
/// shared-memory group's blocks to its leader, allgather the groups' runs of blocks among the
/// leaders, broadcast the whole result inside each group. Only leaders exchange data between groups,
/// each group's data once. Groups that are not runs of consecutive ranks are packed group after
/// group between the leaders and put in rank order by each leader before its broadcast.</summary>
internal static unsafe class TwoLevel
{
    public static void Run(Communicator comm, SharedMemoryTopology topology, byte* send, byte* receive, long block)
    {
        var local = topology.Local;
        // With a single level (one group, or groups of one) its rank order is the communicator's.
        if (topology.GroupCount == 1)
        {
            local.AllgatherCore(send, receive, block, topology: null);
            return;
        }
        if (topology.LargestGroup == 1)
        {
            topology.LeaderComm!.AllgatherCore(send, receive, block, topology: null);
            return;
        }
        int group = topology.GroupOf[comm.Rank];
        long total = block * comm.Size;
        // Packed group after group; for consecutive groups that is rank order, so the result's own buffer.
        using var scratch = topology.GroupsAreContiguous || topology.LeaderComm == null ? default : new Scratch(total);
        byte* packed = scratch.IsRented ? scratch.Pointer : receive;
        byte* groupRun = packed + topology.GroupStarts[group] * block;
        // A member's in-place block is its own send buffer, which the gather reads before anything is written.
        local.GatherCore(send, groupRun, block, root: 0);
        if (topology.LeaderComm is { } leaders)
        {
            if (block <= int.MaxValue)
                leaders.AllgathervCore(groupRun, packed, topology.GroupSizes, topology.GroupStarts, (int)block);
            else
                throw new ArgumentOutOfRangeException(nameof(block), "a two-level allgather block must be below 2 GiB");
            if (scratch.IsRented)
            {
                for (int g = 0; g < topology.GroupCount; g++)
                {
                    var members = topology.Members[g];
                    for (int i = 0; i < members.Length; i++)
                        Buffer.MemoryCopy(packed + (topology.GroupStarts[g] + i) * block, receive + members[i] * block, block, block);
                }
            }
        }
        local.BcastCore(receive, total, root: 0, topology: null);
    }
}
