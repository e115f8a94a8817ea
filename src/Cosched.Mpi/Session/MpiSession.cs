using System.Runtime.InteropServices;
using Cosched.Messaging;

namespace Cosched.Mpi;

/// <summary>A communicator handle's object and the error handler attached to it.</summary>
internal sealed class CommEntry(Communicator communicator)
{
    public Communicator Communicator { get; } = communicator;
    public int Errhandler { get; set; } = Constants.ErrorsAreFatal;
}

/// <summary>The process's MPI state: initialised or finalised, and the handle tables of
/// communicators and requests (datatypes and operations keep their own).</summary>
internal static unsafe partial class MpiSession
{
    public static bool Initialized { get; private set; }
    public static bool Finalized { get; private set; }
    public static int ThreadLevel { get; private set; }
    public static int MainThread { get; private set; }

    public static readonly HandleTable<CommEntry> Comms = new("communicator", ErrorClass.Comm, firstFree: 3);
    public static readonly HandleTable<RequestEntry> Requests = new("request", ErrorClass.Request, firstFree: 1);

    /// <summary>MPI_Init(_thread): joins the job. Cosched's runtime is driven by one thread at a time
    /// from the thread that initialised it: FUNNELED is the most it provides, and it says so.</summary>
    public static int Init(int required)
    {
        if (Initialized) throw new MpiException(ErrorClass.Other, "MPI is already initialised");
        if (Finalized) throw new MpiException(ErrorClass.Other, "MPI was finalised; it cannot be initialised again");
        var world = Communicator.World;
        Comms.Predefine(Constants.CommWorld, new CommEntry(world));
        Comms.Predefine(Constants.CommSelf, new CommEntry(world.Split(world.Rank, 0)!));
        Initialized = true;
        MainThread = Environment.CurrentManagedThreadId;
        ThreadLevel = Math.Min(Math.Max(required, Constants.ThreadSingle), Constants.ThreadFunneled);
        OnExit(&ExitedWithoutFinalize, 0);
        return ThreadLevel;
    }

    /// <summary>MPI_Finalize: waits for every rank (as MPI implementations do, so no rank leaves while
    /// others still talk to it), then leaves the job.</summary>
    public static void End()
    {
        Check();
        Comms.Get(Constants.CommWorld).Communicator.Barrier();
        Runtime.Shutdown();
        Finalized = true;
    }

    /// <summary>Calls between Init and Finalize only (MPI_ERR_OTHER with a clear line otherwise).</summary>
    public static void Check()
    {
        if (!Initialized) throw new MpiException(ErrorClass.Other, "MPI is not initialised (call MPI_Init first)");
        if (Finalized) throw new MpiException(ErrorClass.Other, "MPI has been finalised");
    }

    public static CommEntry Comm(int handle)
    {
        Check();
        return Comms.Get(handle);
    }

    /// <summary>A program that ends without MPI_Finalize is erroneous: say so and fail, as Open MPI does
    /// (the launcher then ends the job instead of waiting for messages that never come).</summary>
    [UnmanagedCallersOnly]
    private static void ExitedWithoutFinalize(int status, nint argument)
    {
        if (!Initialized || Finalized) return;
        Console.Error.WriteLine($"cosched: rank {Comms.Get(Constants.CommWorld).Communicator.Rank} exited without calling MPI_Finalize");
        Console.Error.Flush();
        ExitNow(status != 0 ? status : 1);
    }

    /// <summary>glibc's on_exit (atexit itself lives in libc_nonshared.a, out of reach of a shared library).</summary>
    [LibraryImport("libc", EntryPoint = "on_exit")]
    private static partial int OnExit(delegate* unmanaged<int, nint, void> function, nint argument);

    /// <summary>Ends the process at once (no .NET shutdown: the launcher tears the job down), but not
    /// before what the program wrote is out: C's stdio buffers are flushed, and the handlers the
    /// program's languages registered with at_quick_exit run (the Fortran bindings flush gfortran's
    /// units there). quick_exit runs those handlers and then ends the process as _exit does.</summary>
    public static void ExitNow(int code)
    {
        FlushAll(0);
        QuickExit(code);
    }

    /// <summary>fflush(NULL): every open output stream.</summary>
    [LibraryImport("libc", EntryPoint = "fflush")]
    private static partial int FlushAll(nint stream);

    [LibraryImport("libc", EntryPoint = "quick_exit")]
    private static partial void QuickExit(int code);
}
