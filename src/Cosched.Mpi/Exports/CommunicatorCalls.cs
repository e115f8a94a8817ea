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

    [UnmanagedCallersOnly(EntryPoint = "MPI_Comm_get_attr")]
    public static int GetAttr(int comm, int keyval, int** value, int* flag) => Attribute("MPI_Comm_get_attr", comm, keyval, value, flag);

    [UnmanagedCallersOnly(EntryPoint = "MPI_Attr_get")]
    public static int AttrGet(int comm, int keyval, int** value, int* flag) => Attribute("MPI_Attr_get", comm, keyval, value, flag);

    /// <summary>The predefined attributes (MPI_TAG_UB, MPI_HOST, MPI_IO, MPI_WTIME_IS_GLOBAL,
    /// MPI_UNIVERSE_SIZE, MPI_APPNUM): a pointer to the value, as MPI hands them out. Cosched has no
    /// attributes a program can make.</summary>
    private static int Attribute(string function, int comm, int keyval, int** value, int* flag)
    {
        try
        {
            var c = MpiSession.Comm(comm).Communicator;
            int* slot = keyval switch
            {
                TagUpperBound => Store(0, int.MaxValue),
                Host => Store(1, Constants.ProcNull),
                Io => Store(2, Constants.AnySource), // every rank can do I/O
                WtimeIsGlobal => Store(3, 0),
                UniverseSize => Store(4, MpiSession.Comm(Constants.CommWorld).Communicator.Size),
                AppNumber => Store(5, 0),
                _ => null,
            };
            *flag = slot == null ? 0 : 1;
            if (slot != null) *value = slot;
            return 0;
        }
        catch (Exception e) { return Errors.Fail(function, comm, e); }
    }

    private const int TagUpperBound = 1, Host = 2, Io = 3, WtimeIsGlobal = 4, UniverseSize = 5, AppNumber = 6;

    /// <summary>Where the attribute values live: memory that never moves, as the program keeps the pointer.</summary>
    private static readonly int* Values = (int*)NativeMemory.AllocZeroed(6, sizeof(int));

    private static int* Store(int index, int value)
    {
        Values[index] = value;
        return Values + index;
    }
}
