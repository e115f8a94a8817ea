using System.Buffers;
using Cosched.Messaging.Protocol;

namespace Cosched.Messaging;

/// <summary>A pending send or receive (MPI_Request). Complete it with Wait, Test or their kin.</summary>
public sealed unsafe class Request
{
    internal Engine Engine = null!;
    internal RequestState State;
    internal byte* Buffer;
    /// <summary>Send: message bytes. Receive: capacity of the buffer.</summary>
    internal long Bytes;
    internal int ElementSize = 1;
    /// <summary>Send: destination world rank. Receive: source pattern in communicator ranks.</summary>
    internal int Peer;
    internal int Tag;
    internal int Context;
    internal int[]? WorldToComm;
    /// <summary>Large transfers: bytes streamed so far and total message bytes.</summary>
    internal long Transferred;
    internal long MessageBytes;
    internal int Id = -1;
    /// <summary>MPI_Ssend: completes only once the receive has matched (always rendezvous).</summary>
    internal bool Synchronous;
    internal int RemoteId;
    internal MemoryHandle Pin;
    internal MessagingException? Error;
    internal int StatusSource, StatusTag;
    internal Request? Next;

    internal Request() { }

    /// <summary>True once the operation is complete (the buffer may be reused or read).</summary>
    public bool IsCompleted => State == RequestState.Completed;

    /// <summary>Blocks until complete; returns the receive's status (sends report their destination).</summary>
    public Status Wait() => Engine.Wait(this);

    /// <summary>Drives progress once; true and the status if complete.</summary>
    public bool Test(out Status status) => Engine.Test(this, out status);

    internal Status ToStatus() => new(StatusSource, StatusTag, MessageBytes / ElementSize);

    internal void Complete()
    {
        State = RequestState.Completed;
        Pin.Dispose();
        Pin = default;
    }
}
