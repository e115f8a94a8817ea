using System.Runtime.InteropServices;

namespace Cosched.Mpi;

/// <summary>Parts of MPI that Cosched does not do (one-sided communication, MPI-IO, dynamic
/// processes): each says so by name, never silently does nothing, and under MPI_ERRORS_ARE_FATAL
/// ends the job.</summary>
internal static unsafe class UnsupportedCalls
{
    private static int Unsupported(string function, int comm) =>
        Errors.Fail(function, comm, new MpiException(ErrorClass.UnsupportedOperation, $"{function} is not supported by Cosched (no one-sided communication, MPI-IO or dynamic processes)"));

    [UnmanagedCallersOnly(EntryPoint = "MPI_Win_create")]
    public static int WinCreate(void* b, nint s, int d, int i, int comm, int* w) => Unsupported("MPI_Win_create", comm);

    [UnmanagedCallersOnly(EntryPoint = "MPI_Put")]
    public static int Put(void* o, int oc, int ot, int r, nint d, int tc, int tt, int w) => Unsupported("MPI_Put", 0);

    [UnmanagedCallersOnly(EntryPoint = "MPI_Get")]
    public static int Get(void* o, int oc, int ot, int r, nint d, int tc, int tt, int w) => Unsupported("MPI_Get", 0);

    [UnmanagedCallersOnly(EntryPoint = "MPI_File_open")]
    public static int FileOpen(int comm, byte* name, int mode, int info, int* file) => Unsupported("MPI_File_open", comm);

    [UnmanagedCallersOnly(EntryPoint = "MPI_Comm_spawn")]
    public static int CommSpawn(byte* command, byte** argv, int n, int info, int root, int comm, int* inter, int* codes) => Unsupported("MPI_Comm_spawn", comm);
}
