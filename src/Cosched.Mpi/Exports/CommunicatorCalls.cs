using System.Runtime.InteropServices;

namespace Cosched.Mpi;

/// <summary>Communicators: size, rank, dup, split, free, compare.</summary>
internal static unsafe class CommunicatorCalls
{
    [UnmanagedCallersOnly(EntryPoint = "MPI_Comm_size")]
    public static int Size(int comm, int* size)
    {
        try { *size = MpiSession.Comm(comm).Communicator.Size; return 0; }
        catch (Exception e) { return Errors.Fail("MPI_Comm_size", comm, e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "MPI_Comm_rank")]
    public static int Rank(int comm, int* rank)
    {
        try { *rank = MpiSession.Comm(comm).Communicator.Rank; return 0; }
        catch (Exception e) { return Errors.Fail("MPI_Comm_rank", comm, e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "MPI_Comm_dup")]
    public static int Dup(int comm, int* newcomm)
    {
        try
        {
            var entry = MpiSession.Comm(comm);
            *newcomm = MpiSession.Comms.Add(new CommEntry(entry.Communicator.Dup()) { Errhandler = entry.Errhandler });
            return 0;
        }
        catch (Exception e) { return Errors.Fail("MPI_Comm_dup", comm, e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "MPI_Comm_split")]
    public static int Split(int comm, int color, int key, int* newcomm)
    {
        try
        {
            var entry = MpiSession.Comm(comm);
            if (color < 0 && color != Constants.Undefined) throw new MpiException(ErrorClass.Arg, $"color {color} is negative (only MPI_UNDEFINED may be)");
            var split = entry.Communicator.Split(color == Constants.Undefined ? -1 : color, key);
            *newcomm = split == null ? Constants.CommNull : MpiSession.Comms.Add(new CommEntry(split) { Errhandler = entry.Errhandler });
            return 0;
        }
        catch (Exception e) { return Errors.Fail("MPI_Comm_split", comm, e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "MPI_Comm_free")]
    public static int Free(int* comm)
    {
        try
        {
            MpiSession.Check();
            MpiSession.Comms.Remove(*comm);
            *comm = Constants.CommNull;
            return 0;
        }
        catch (Exception e) { return Errors.Fail("MPI_Comm_free", 0, e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "MPI_Comm_compare")]
    public static int Compare(int comm1, int comm2, int* result)
    {
        try
        {
            var a = MpiSession.Comm(comm1).Communicator;
            var b = MpiSession.Comm(comm2).Communicator;
            var ranksA = Enumerable.Range(0, a.Size).Select(a.WorldRank).ToArray();
            var ranksB = Enumerable.Range(0, b.Size).Select(b.WorldRank).ToArray();
            *result = comm1 == comm2 ? Constants.Ident
                : ranksA.SequenceEqual(ranksB) ? Constants.Congruent
                : ranksA.Order().SequenceEqual(ranksB.Order()) ? Constants.Similar
                : Constants.Unequal;
            return 0;
        }
        catch (Exception e) { return Errors.Fail("MPI_Comm_compare", comm1, e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "MPI_Comm_test_inter")]
    public static int TestInter(int comm, int* flag)
    {
        try { MpiSession.Comm(comm); *flag = 0; return 0; }
        catch (Exception e) { return Errors.Fail("MPI_Comm_test_inter", comm, e); }
    }
}
