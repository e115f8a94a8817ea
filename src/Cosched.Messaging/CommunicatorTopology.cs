using Cosched.Messaging.Collectives;
using Cosched.Messaging.Transports;

namespace Cosched.Messaging;

public sealed unsafe partial class Communicator
{
    /// <summary>Collectives with two-level algorithms between two checks whether a move changed the
    /// shared-memory groups (migratable jobs only).</summary>
    internal const int TopologyCheckInterval = 64;

    private SharedMemoryTopology? _topology;
    private int _topologyEpoch;
    private int _topologyUses;

    /// <summary>The communicator's shared-memory groups, built at first use and kept: a collective
    /// exchange, so the first collective that needs it must be the same call on every rank (true of
    /// collectives, which all ranks call in the same order).</summary>
    /// <remarks>Each rank contributes the lowest rank it reaches over shared memory (its own channel
    /// kinds) and its next free context id; the groups come from the gathered keys, so all ranks hold
    /// the same groups even if their views of the channels differed.
    /// In a job whose VMs may move, every <see cref="TopologyCheckInterval"/>-th use is also an
    /// agreement: the ranks take the largest number of moves any of them has finished re-selecting
    /// channels for, and rebuild the groups when it grew. The check falls on the same call on every
    /// rank (it counts the communicator's own collectives), so no rank ever runs another algorithm
    /// than its peers; between a move and the next check the old groups stay in use, which costs
    /// speed, never correctness.</remarks>
    internal SharedMemoryTopology Topology
    {
        get
        {
            if (_topology == null) _topology = BuildTopology();
            else if (Engine.Migratable && ++_topologyUses % TopologyCheckInterval == 0) CheckTopologyEpoch();
            return _topology;
        }
    }

    private void CheckTopologyEpoch()
    {
        int known = Engine.Agent?.TopologyEpoch ?? 0, agreed;
        AllreduceCore(&known, &agreed, 1, ReduceOp<int>.Max, topology: null);
        if (agreed == _topologyEpoch) return;
        _topologyEpoch = agreed;
        _topology = BuildTopology();
    }

    private SharedMemoryTopology BuildTopology()
    {
        int key = Rank;
        for (int r = 0; r < Rank; r++)
        {
            if (Engine.ChannelKindTo(_worldRanks[r]).IsSharedMemory())
            {
                key = r;
                break;
            }
        }
        var all = GatherToAll([Engine.NextContext, key]);
        int context = 0;
        var keys = new int[Size];
        for (int r = 0; r < Size; r++)
        {
            context = Math.Max(context, all[2 * r]);
            keys[r] = all[2 * r + 1];
        }
        Engine.NextContext = context + SharedMemoryTopology.ContextsUsed;
        return new SharedMemoryTopology(this, keys, context, (worldRanks, id) => new Communicator(Engine, id, worldRanks));
    }
}
