namespace Cosched.Messaging.Collectives;

/// <summary>How a communicator's ranks fall into shared-memory groups (MPI_Comm_split_type with
/// MPI_COMM_TYPE_SHARED, but by channel reachability), with the two communicators the two-level
/// collectives run on: the rank's own group, and the groups' leaders.</summary>
/// <remarks>Every rank of the communicator holds the same groups: they are built from keys that all
/// ranks exchanged (see Communicator.Topology). A group's leader is its lowest rank; groups are
/// numbered in the order of their leaders.</remarks>
internal sealed class SharedMemoryTopology
{
    /// <summary>The group of each rank of the communicator.</summary>
    public readonly int[] GroupOf;
    /// <summary>Each rank's index inside its group (groups keep the communicator's rank order).</summary>
    public readonly int[] IndexInGroup;
    /// <summary>Communicator rank of each group's leader, in group order (ascending).</summary>
    public readonly int[] Leaders;
    /// <summary>Communicator ranks of each group's members, in rank order.</summary>
    public readonly int[][] Members;
    /// <summary>Ranks in each group, and the number of ranks in the groups before it: the layout of
    /// data packed group after group.</summary>
    public readonly int[] GroupSizes, GroupStarts;
    /// <summary>Ranks of the largest group.</summary>
    public readonly int LargestGroup;
    /// <summary>True when every group is a run of consecutive ranks, so that combining inside the
    /// groups and then across them in group order keeps the rank order (non-commutative operators).</summary>
    public readonly bool GroupsAreContiguous;

    /// <summary>This rank's group, as a communicator (rank = index in the group; the leader is rank 0).</summary>
    public readonly Communicator Local;
    /// <summary>The leaders, as a communicator (rank = group number); null on ranks that lead no group.</summary>
    public readonly Communicator? LeaderComm;

    /// <summary>More than one group, and at least one of them with several ranks: only then does
    /// a two-level algorithm send fewer messages between groups than a flat one.</summary>
    public bool IsHierarchical => Leaders.Length > 1 && LargestGroup > 1;

    public int GroupCount => Leaders.Length;

    /// <param name="keys">Per rank, the same value for all ranks of one group and different ones for
    /// different groups (the lowest rank it reaches through shared memory).</param>
    /// <param name="context">First of the two context pairs reserved for the group and leader communicators.</param>
    public SharedMemoryTopology(Communicator comm, int[] keys, int context, Func<int[], int, Communicator> create)
    {
        int p = keys.Length;
        GroupOf = new int[p];
        IndexInGroup = new int[p];
        var leaders = new List<int>();
        var members = new List<List<int>>();
        var groupOfKey = new Dictionary<int, int>();
        for (int r = 0; r < p; r++)
        {
            if (!groupOfKey.TryGetValue(keys[r], out int group))
            {
                group = leaders.Count;
                groupOfKey.Add(keys[r], group);
                leaders.Add(r);
                members.Add([]);
            }
            GroupOf[r] = group;
            IndexInGroup[r] = members[group].Count;
            members[group].Add(r);
        }
        Leaders = leaders.ToArray();
        Members = members.Select(m => m.ToArray()).ToArray();
        GroupSizes = Members.Select(m => m.Length).ToArray();
        GroupStarts = new int[GroupSizes.Length];
        for (int g = 1; g < GroupStarts.Length; g++) GroupStarts[g] = GroupStarts[g - 1] + GroupSizes[g - 1];
        LargestGroup = Members.Max(m => m.Length);
        GroupsAreContiguous = Members.All(m => m[^1] - m[0] == m.Length - 1);

        int mine = GroupOf[comm.Rank];
        Local = create(Members[mine].Select(comm.WorldRank).ToArray(), context);
        if (Leaders[mine] == comm.Rank) LeaderComm = create(Leaders.Select(comm.WorldRank).ToArray(), context + 2);
    }

    /// <summary>Context ids the group and leader communicators take (two pairs).</summary>
    public const int ContextsUsed = 4;
}
