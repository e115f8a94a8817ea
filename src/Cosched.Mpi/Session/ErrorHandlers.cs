namespace Cosched.Mpi;

/// <summary>An error handler a program made (MPI_Comm_create_errhandler): called with the
/// communicator and the error code; the call then returns the code.</summary>
internal sealed unsafe class UserErrorHandler(delegate* unmanaged<int*, int*, void> function)
{
    public void Call(int comm, int code) => function(&comm, &code);
}

internal static class ErrorHandlers
{
    public static readonly HandleTable<UserErrorHandler> User = new("error handler", ErrorClass.Arg, firstFree: 3);

    public static bool Exists(int handler) =>
        handler is Constants.ErrorsAreFatal or Constants.ErrorsReturn || (handler >= 3 && User.Find(handler) != null);
}
