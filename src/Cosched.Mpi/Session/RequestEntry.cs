using System.Buffers;
using Cosched.Messaging;

namespace Cosched.Mpi;

/// <summary>What a request handle stands for: Cosched's request, or a status already known (a
/// request to or from MPI_PROC_NULL), and, for a non-contiguous receive, where to unpack it.</summary>
internal sealed unsafe class RequestEntry
{
    public Request? Request { get; init; }
    public MpiStatus Status { get; set; }
    /// <summary>The packed message of a non-contiguous type, and where it goes.</summary>
    public byte[]? Staging { get; init; }
    public Datatype? UnpackType { get; init; }
    public byte* UnpackTo { get; init; }
    public MemoryHandle Pin { get; init; }

    public bool IsDone => Request == null || Request.IsCompleted;

    /// <summary>Finishes a completed request: unpacks what it staged and gives its status.</summary>
    public MpiStatus Complete(Messaging.Status status)
    {
        var result = MpiStatus.Of(status);
        if (UnpackType != null && Staging != null)
            fixed (byte* s = Staging) UnpackType.Unpack(s, result.Bytes, UnpackTo);
        Pin.Dispose();
        return result;
    }
}

/// <summary>Lets Cosched's Isend and Irecv take memory a C program owns (it stays where it is: no pinning needed).</summary>
internal sealed unsafe class CallerMemory(byte* pointer, long length) : MemoryManager<byte>
{
    public override Span<byte> GetSpan() => new(pointer, checked((int)length));
    public override MemoryHandle Pin(int elementIndex = 0) => new(pointer + elementIndex);
    public override void Unpin() { }
    protected override void Dispose(bool disposing) { }
}
