using System.Runtime.InteropServices;

namespace Cosched.Messaging.Transports;

/// <summary>What a frame carries: the protocol layer's vocabulary on every transport.</summary>
internal enum FrameKind : byte
{
    /// <summary>A whole small message: envelope and payload.</summary>
    Eager = 1,
    /// <summary>Rendezvous request: envelope and total size of a large message, no payload.</summary>
    ReadyToSend = 2,
    /// <summary>Receiver matched a ReadyToSend and is ready for the data.</summary>
    ClearToSend = 3,
    /// <summary>One chunk of a large message, addressed to the receiver's request.</summary>
    Data = 4,
    /// <summary>Receiver copied a large message straight out of the sender's memory; the send is done.</summary>
    ReadDone = 5,
    /// <summary>Ends the sender's epoch on this channel: what it sends to this peer next travels on
    /// the channel of kind <see cref="FrameHeader.Tag"/> (a <see cref="ChannelKind"/>). The receiver
    /// reads this channel up to the marker and only then the next one, so nothing overtakes.</summary>
    Marker = 6,
    /// <summary>The sender wants a tcp channel to us and is the side that accepts: connect to it.
    /// Changes nothing else (no epoch ends).</summary>
    ConnectToMe = 7,
}

/// <summary>The envelope that precedes every payload. 24 bytes; a transport adds its own 8-byte
/// word in front (sequence and length on shm, length on tcp), so a frame header is 32 bytes.</summary>
[StructLayout(LayoutKind.Sequential, Pack = 4, Size = 24)]
internal struct FrameHeader
{
    public FrameKind Kind;
    private byte _reserved0;
    private short _reserved1;
    /// <summary>Matching context of the communicator (Eager, ReadyToSend).</summary>
    public int Context;
    /// <summary>Message tag (Eager, ReadyToSend); the receiver's request id (ClearToSend); the next channel's kind (Marker).</summary>
    public int Tag;
    /// <summary>The sender's request id (ReadyToSend, ClearToSend); the receiver's (Data).</summary>
    public int Request;
    /// <summary>Total message bytes (Eager, ReadyToSend); byte offset of the chunk (Data).</summary>
    public long Size;

    public const int WireBytes = 32;

    public static FrameHeader Create(FrameKind kind, int context, int tag, int request, long size) =>
        new() { Kind = kind, Context = context, Tag = tag, Request = request, Size = size };
}
