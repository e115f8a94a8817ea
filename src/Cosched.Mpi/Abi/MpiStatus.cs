using System.Runtime.InteropServices;

namespace Cosched.Mpi;

/// <summary>MPI_Status as mpi.h lays it out (24 bytes: Fortran's MPI_STATUS_SIZE of 6 integers,
/// with MPI_SOURCE, MPI_TAG and MPI_ERROR its first three).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct MpiStatus
{
    public int Source;
    public int Tag;
    public int Error;
    public int Cancelled;
    /// <summary>Bytes received (MPI_Get_count divides by the type's size).</summary>
    public long Bytes;

    public static MpiStatus Of(Messaging.Status status) => new() { Source = status.Source, Tag = status.Tag, Bytes = status.Count };

    /// <summary>The status of a receive from MPI_PROC_NULL: no message, at once.</summary>
    public static MpiStatus Empty => new() { Source = Constants.ProcNull, Tag = Constants.AnyTag };

    /// <summary>Stores <paramref name="status"/> unless the caller passed MPI_STATUS_IGNORE (or NULL).</summary>
    public static unsafe void Store(MpiStatus* target, in MpiStatus status)
    {
        if (target != null && (nint)target != Constants.StatusIgnore) *target = status;
    }
}
