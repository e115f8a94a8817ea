namespace Cosched.Mpi;

/// <summary>The numbers of include/mpi.h and include/mpif.h (a test compiles a C program that prints
/// them and checks that they agree with these).</summary>
internal static class Constants
{
    public const int CommNull = 0, CommWorld = 1, CommSelf = 2;
    public const int GroupNull = 0, GroupEmpty = 1;
    public const int RequestNull = 0;
    public const int ErrhandlerNull = 0, ErrorsAreFatal = 1, ErrorsReturn = 2;
    public const int DatatypeNull = 0;
    public const int OpNull = 0, OpMax = 1, OpMin = 2, OpSum = 3, OpProd = 4, OpLand = 5, OpBand = 6, OpLor = 7, OpBor = 8,
        OpLxor = 9, OpBxor = 10, OpMinloc = 11, OpMaxloc = 12, OpReplace = 13, OpNoOp = 14;
    public const int AnySource = -1, AnyTag = -1, ProcNull = -2, Root = -3, Undefined = -32766;
    public const int Ident = 0, Congruent = 1, Similar = 2, Unequal = 3;
    public const int ThreadSingle = 0, ThreadFunneled = 1, ThreadSerialized = 2, ThreadMultiple = 3;
    public const int MaxProcessorName = 256, MaxErrorString = 512, MaxLibraryVersionString = 256;
    public const int Version = 3, Subversion = 1;

    /// <summary>MPI_IN_PLACE and MPI_STATUS(ES)_IGNORE as C sees them.</summary>
    public static readonly nint InPlace = -1, StatusIgnore = 1;
}

/// <summary>MPI's error classes; every code Cosched returns is its class.</summary>
internal enum ErrorClass
{
    Success = 0, Buffer = 1, Count = 2, Type = 3, Tag = 4, Comm = 5, Rank = 6, Request = 7, Root = 8, Group = 9, Op = 10,
    Topology = 11, Dims = 12, Arg = 13, Unknown = 14, Truncate = 15, Other = 16, Intern = 17, InStatus = 18, Pending = 19,
    UnsupportedOperation = 52, LastCode = 100,
}
