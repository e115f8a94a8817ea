using System.Runtime.InteropServices;

namespace Cosched.Mpi;

/// <summary>Groups: ordered sets of the job's ranks (as world ranks), and communicators made from them.</summary>
internal static unsafe class GroupCalls
{
    public static readonly HandleTable<int[]> Groups = MakeGroups();

    private static HandleTable<int[]> MakeGroups()
    {
        var table = new HandleTable<int[]>("group", ErrorClass.Group, firstFree: 2);
        table.Predefine(Constants.GroupEmpty, []);
        return table;
    }

    private static int[] WorldRanks(Messaging.Communicator c) => Enumerable.Range(0, c.Size).Select(c.WorldRank).ToArray();

    [UnmanagedCallersOnly(EntryPoint = "MPI_Comm_group")]
    public static int CommGroup(int comm, int* group)
    {
        try { *group = Groups.Add(WorldRanks(MpiSession.Comm(comm).Communicator)); return 0; }
        catch (Exception e) { return Errors.Fail("MPI_Comm_group", comm, e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "MPI_Group_size")]
    public static int Size(int group, int* size)
    {
        try { *size = Groups.Get(group).Length; return 0; }
        catch (Exception e) { return Errors.Fail("MPI_Group_size", 0, e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "MPI_Group_rank")]
    public static int Rank(int group, int* rank)
    {
        try
        {
            int me = Array.IndexOf(Groups.Get(group), MpiSession.Comm(Constants.CommWorld).Communicator.Rank);
            *rank = me < 0 ? Constants.Undefined : me;
            return 0;
        }
        catch (Exception e) { return Errors.Fail("MPI_Group_rank", 0, e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "MPI_Group_incl")]
    public static int Incl(int group, int n, int* ranks, int* newgroup)
    {
        try
        {
            var members = Groups.Get(group);
            var chosen = new int[Buffers.Count(n)];
            for (int i = 0; i < n; i++)
                chosen[i] = (uint)ranks[i] < (uint)members.Length ? members[ranks[i]]
                    : throw new MpiException(ErrorClass.Rank, $"rank {ranks[i]} is not in a group of {members.Length}");
            if (chosen.Distinct().Count() != chosen.Length) throw new MpiException(ErrorClass.Rank, "MPI_Group_incl names a rank twice");
            *newgroup = chosen.Length == 0 ? Constants.GroupEmpty : Groups.Add(chosen);
            return 0;
        }
        catch (Exception e) { return Errors.Fail("MPI_Group_incl", 0, e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "MPI_Group_translate_ranks")]
    public static int TranslateRanks(int group1, int n, int* ranks1, int group2, int* ranks2)
    {
        try
        {
            var from = Groups.Get(group1);
            var to = Groups.Get(group2);
            for (int i = 0; i < Buffers.Count(n); i++)
            {
                if (ranks1[i] == Constants.ProcNull) { ranks2[i] = Constants.ProcNull; continue; }
                if ((uint)ranks1[i] >= (uint)from.Length) throw new MpiException(ErrorClass.Rank, $"rank {ranks1[i]} is not in a group of {from.Length}");
                int at = Array.IndexOf(to, from[ranks1[i]]);
                ranks2[i] = at < 0 ? Constants.Undefined : at;
            }
            return 0;
        }
        catch (Exception e) { return Errors.Fail("MPI_Group_translate_ranks", 0, e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "MPI_Group_free")]
    public static int Free(int* group)
    {
        try
        {
            if (*group != Constants.GroupEmpty) Groups.Remove(*group);
            *group = Constants.GroupNull;
            return 0;
        }
        catch (Exception e) { return Errors.Fail("MPI_Group_free", 0, e); }
    }

    /// <summary>Collective over <paramref name="comm"/>: the group's members get a communicator
    /// ranked in the group's order, the others MPI_COMM_NULL.</summary>
    [UnmanagedCallersOnly(EntryPoint = "MPI_Comm_create")]
    public static int CommCreate(int comm, int group, int* newcomm)
    {
        try
        {
            var entry = MpiSession.Comm(comm);
            var c = entry.Communicator;
            int index = Array.IndexOf(Groups.Get(group), c.WorldRank(c.Rank));
            var made = c.Split(index < 0 ? -1 : 0, index);
            *newcomm = made == null ? Constants.CommNull : MpiSession.Comms.Add(new CommEntry(made) { Errhandler = entry.Errhandler });
            return 0;
        }
        catch (Exception e) { return Errors.Fail("MPI_Comm_create", comm, e); }
    }
}
