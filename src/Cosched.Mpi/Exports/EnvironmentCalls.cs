using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using Cosched.Messaging;

namespace Cosched.Mpi;

/// <summary>MPI_Init and the calls around it: the job, the clock, names and versions.</summary>
internal static unsafe class EnvironmentCalls
{
    [UnmanagedCallersOnly(EntryPoint = "MPI_Init")]
    public static int Init(int* argc, byte*** argv)
    {
        try { MpiSession.Init(Constants.ThreadSingle); return 0; }
        catch (Exception e) { return Errors.Fail("MPI_Init", 0, e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "MPI_Init_thread")]
    public static int InitThread(int* argc, byte*** argv, int required, int* provided)
    {
        try { *provided = MpiSession.Init(required); return 0; }
        catch (Exception e) { return Errors.Fail("MPI_Init_thread", 0, e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "MPI_Query_thread")]
    public static int QueryThread(int* provided)
    {
        try { MpiSession.Check(); *provided = MpiSession.ThreadLevel; return 0; }
        catch (Exception e) { return Errors.Fail("MPI_Query_thread", 0, e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "MPI_Is_thread_main")]
    public static int IsThreadMain(int* flag)
    {
        try { MpiSession.Check(); *flag = Environment.CurrentManagedThreadId == MpiSession.MainThread ? 1 : 0; return 0; }
        catch (Exception e) { return Errors.Fail("MPI_Is_thread_main", 0, e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "MPI_Initialized")]
    public static int Initialized(int* flag)
    {
        *flag = MpiSession.Initialized ? 1 : 0;
        return 0;
    }

    [UnmanagedCallersOnly(EntryPoint = "MPI_Finalized")]
    public static int Finalized(int* flag)
    {
        *flag = MpiSession.Finalized ? 1 : 0;
        return 0;
    }

    [UnmanagedCallersOnly(EntryPoint = "MPI_Finalize")]
    public static int Finalize()
    {
        try { MpiSession.End(); return 0; }
        catch (Exception e) { return Errors.Fail("MPI_Finalize", 0, e); }
    }

    /// <summary>Ends the whole job: this rank exits with the code and the launcher (or the PMIx server
    /// of srun and mpirun, asked to) ends the others.</summary>
    [UnmanagedCallersOnly(EntryPoint = "MPI_Abort")]
    public static int Abort(int comm, int code)
    {
        int rank = MpiSession.Initialized && !MpiSession.Finalized ? Communicator.World.Rank : 0;
        var line = $"cosched: MPI_Abort was called by rank {rank} with error code {code}; ending the job";
        Console.Error.WriteLine(line);
        Console.Error.Flush();
        int exit = code == 0 ? 1 : code & 0xff;
        Runtime.AbortJob(exit, line);
        MpiSession.ExitNow(exit);
        return 0;
    }

    [UnmanagedCallersOnly(EntryPoint = "MPI_Wtime")]
    public static double Wtime() => Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency;

    [UnmanagedCallersOnly(EntryPoint = "MPI_Wtick")]
    public static double Wtick() => 1.0 / Stopwatch.Frequency;

    [UnmanagedCallersOnly(EntryPoint = "MPI_Get_processor_name")]
    public static int GetProcessorName(byte* name, int* length)
    {
        *length = Strings.Copy(Environment.MachineName, name, Constants.MaxProcessorName);
        return 0;
    }

    [UnmanagedCallersOnly(EntryPoint = "MPI_Get_version")]
    public static int GetVersion(int* version, int* subversion)
    {
        *version = Constants.Version;
        *subversion = Constants.Subversion;
        return 0;
    }

    [UnmanagedCallersOnly(EntryPoint = "MPI_Get_library_version")]
    public static int GetLibraryVersion(byte* version, int* length)
    {
        *length = Strings.Copy($"Cosched MPI (MPI {Constants.Version}.{Constants.Subversion} subset, .NET {Environment.Version})", version, Constants.MaxLibraryVersionString);
        return 0;
    }

    [UnmanagedCallersOnly(EntryPoint = "MPI_Error_string")]
    public static int ErrorString(int code, byte* text, int* length)
    {
        *length = Strings.Copy(Errors.Describe(code), text, Constants.MaxErrorString);
        return 0;
    }

    [UnmanagedCallersOnly(EntryPoint = "MPI_Error_class")]
    public static int ErrorClassOf(int code, int* errorClass)
    {
        *errorClass = code is >= 0 and <= (int)ErrorClass.LastCode ? code : (int)ErrorClass.Unknown;
        return 0;
    }

    [UnmanagedCallersOnly(EntryPoint = "MPI_Comm_set_errhandler")]
    public static int SetErrhandler(int comm, int handler) => SetHandler("MPI_Comm_set_errhandler", comm, handler);

    [UnmanagedCallersOnly(EntryPoint = "MPI_Errhandler_set")]
    public static int ErrhandlerSet(int comm, int handler) => SetHandler("MPI_Errhandler_set", comm, handler);

    private static int SetHandler(string function, int comm, int handler)
    {
        try
        {
            var entry = MpiSession.Comm(comm);
            entry.Errhandler = ErrorHandlers.Exists(handler) ? handler
                : throw new MpiException(ErrorClass.Arg, $"{handler} is not an error handler (MPI_ERRORS_ARE_FATAL, MPI_ERRORS_RETURN or one made by MPI_Comm_create_errhandler)");
            return 0;
        }
        catch (Exception e) { return Errors.Fail(function, comm, e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "MPI_Comm_get_errhandler")]
    public static int GetErrhandler(int comm, int* handler)
    {
        try { *handler = MpiSession.Comm(comm).Errhandler; return 0; }
        catch (Exception e) { return Errors.Fail("MPI_Comm_get_errhandler", comm, e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "MPI_Errhandler_free")]
    public static int ErrhandlerFree(int* handler)
    {
        try
        {
            if (*handler >= 3) ErrorHandlers.User.Remove(*handler); // a communicator using it keeps calling it, as MPI says
            *handler = Constants.ErrhandlerNull;
            return 0;
        }
        catch (Exception e) { return Errors.Fail("MPI_Errhandler_free", 0, e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "MPI_Comm_create_errhandler")]
    public static int CreateErrhandler(delegate* unmanaged<int*, int*, void> function, int* handler) => MakeHandler("MPI_Comm_create_errhandler", function, handler);

    [UnmanagedCallersOnly(EntryPoint = "MPI_Errhandler_create")]
    public static int ErrhandlerCreate(delegate* unmanaged<int*, int*, void> function, int* handler) => MakeHandler("MPI_Errhandler_create", function, handler);

    private static int MakeHandler(string name, delegate* unmanaged<int*, int*, void> function, int* handler)
    {
        try
        {
            if (function == null) throw new MpiException(ErrorClass.Arg, "the error handler's function is NULL");
            *handler = ErrorHandlers.User.Add(new UserErrorHandler(function));
            return 0;
        }
        catch (Exception e) { return Errors.Fail(name, 0, e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "MPI_Alloc_mem")]
    public static int AllocMem(nint size, int info, void** pointer)
    {
        try
        {
            *pointer = size >= 0 ? NativeMemory.Alloc((nuint)Math.Max(size, 1))
                : throw new MpiException(ErrorClass.Arg, $"MPI_Alloc_mem of {size} bytes");
            return 0;
        }
        catch (Exception e) { return Errors.Fail("MPI_Alloc_mem", 0, e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "MPI_Free_mem")]
    public static int FreeMem(void* pointer)
    {
        NativeMemory.Free(pointer);
        return 0;
    }
}

/// <summary>C strings out: at most <c>capacity</c> bytes with the terminating zero.</summary>
internal static unsafe class Strings
{
    public static int Copy(string text, byte* to, int capacity)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        int n = Math.Min(bytes.Length, capacity - 1);
        Marshal.Copy(bytes, 0, (nint)to, n);
        to[n] = 0;
        return n;
    }
}
