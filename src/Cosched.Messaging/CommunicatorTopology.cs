using Cosched.Messaging.Collectives;
using Cosched.Messaging.Transports;

namespace Cosched.Messaging;

public sealed unsafe partial class Communicator
{
    private SharedMemoryTopology? _topology;

    /// <summary>The communicator's shared-memory groups, built at first use and kept: a collective
    /// exchange, so the first collective that needs it must be the same call on every rank (true of
    /// collectives, which all ranks call in the same order).</summary>
    /// <remarks>Each rank contributes the lowest rank it reaches over shared memory (its own channel
    /// kinds) and its next free context id; the groups come from the gathered keys, so all ranks hold
    /// the same groups even if their views of the channels differed.</remarks>
    internal SharedMemoryTopology Topology => _topology ??= BuildTopology();

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
