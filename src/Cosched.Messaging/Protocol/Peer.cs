using Cosched.Messaging.Transports;

namespace Cosched.Messaging.Protocol;

/// <summary>Everything the protocol keeps per remote rank: its channel (replaceable while the job
/// runs) and the frames still waiting to go out to it.</summary>
internal sealed class Peer(int worldRank, IChannel channel)
{
    public int WorldRank { get; } = worldRank;
    public IChannel Channel { get; set; } = channel;

    /// <summary>Sends whose Eager or ReadyToSend frame is not written yet, in posting order
    /// (this order is what keeps messages between a pair from overtaking each other).</summary>
    public Request? QueueHead, QueueTail;

    /// <summary>Replies to large sends not written yet: ClearToSend (sender's request, our request)
    /// or ReadDone (sender's request).</summary>
    public readonly Queue<(FrameKind Kind, int Sender, int Receiver)> Replies = new();

    /// <summary>Large sends cleared by the receiver, streaming Data frames.</summary>
    public readonly List<Request> Streams = new();

    /// <summary>Anything still to write, including the tail of a frame the channel took only in part.</summary>
    public bool HasOutgoing => QueueHead != null || Replies.Count > 0 || Streams.Count > 0 || Channel.HasUnsentBytes;

    /// <summary>Largest message sent in one Eager frame to this peer.</summary>
    public int EagerLimit => Math.Min(Engine.EagerLimit, Channel.MaxPayload);

    public void Enqueue(Request request)
    {
        request.Next = null;
        if (QueueTail == null) QueueHead = request;
        else QueueTail.Next = request;
        QueueTail = request;
    }

    public void Dequeue()
    {
        var head = QueueHead!;
        QueueHead = head.Next;
        if (QueueHead == null) QueueTail = null;
        head.Next = null;
    }
}
