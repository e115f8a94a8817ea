namespace Cosched.Messaging;

public sealed unsafe partial class Communicator
{
    private const int GroupTag = 0x7fff_0001;

    /// <summary>A communicator with the same ranks and a fresh matching context (MPI_Comm_dup).</summary>
    public Communicator Dup()
    {
        int context = AgreeOnContext([Engine.NextContext], out _)[0];
        return new Communicator(Engine, context, (int[])_worldRanks.Clone());
    }

    /// <summary>Splits into one communicator per color, ranked by key then by old rank
    /// (MPI_Comm_split). A negative color means "not in any" and returns null.</summary>
    public Communicator? Split(int color, int key)
    {
        int context = AgreeOnContext([Engine.NextContext, color, key], out var all)[0];
        if (color < 0) return null;
        var members = new List<(int Key, int Rank)>();
        for (int r = 0; r < Size; r++)
            if (all[r * 3 + 1] == color) members.Add((all[r * 3 + 2], r));
        members.Sort();
        var worldRanks = new int[members.Count];
        for (int i = 0; i < worldRanks.Length; i++) worldRanks[i] = _worldRanks[members[i].Rank];
        return new Communicator(Engine, context, worldRanks);
    }

    /// <summary>Gathers every rank's values (the first being its next free context id) to all and
    /// picks the largest context id, so the new context is free on every member.</summary>
    private int[] AgreeOnContext(int[] mine, out int[] all)
    {
        all = GatherToAll(mine);
        int context = 0;
        for (int r = 0; r < Size; r++) context = Math.Max(context, all[r * mine.Length]);
        Engine.NextContext = context + 2;
        return [context];
    }

    /// <summary>Plain linear all-gather on the collective context, for the rare group operations
    /// (they must not depend on the tunable collective algorithms).</summary>
    private int[] GatherToAll(int[] mine)
    {
        var all = new int[mine.Length * Size];
        fixed (int* m = mine)
        fixed (int* a = all)
        {
            long bytes = mine.Length * sizeof(int);
            if (Rank == 0)
            {
                Buffer.MemoryCopy(m, a, bytes, bytes);
                for (int r = 1; r < Size; r++) ReceiveBytes((byte*)(a + r * mine.Length), bytes, r, GroupTag);
                for (int r = 1; r < Size; r++) SendBytes((byte*)a, bytes * Size, r, GroupTag);
            }
            else
            {
                SendBytes((byte*)m, bytes, 0, GroupTag);
                ReceiveBytes((byte*)a, bytes * Size, 0, GroupTag);
            }
        }
        return all;
    }
}
