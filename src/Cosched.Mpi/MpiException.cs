namespace Cosched.Mpi;

/// <summary>An MPI error: its class (which is also its code) and one line saying what went wrong.</summary>
internal sealed class MpiException(ErrorClass error, string message) : Exception(message)
{
    public ErrorClass Error { get; } = error;
}
