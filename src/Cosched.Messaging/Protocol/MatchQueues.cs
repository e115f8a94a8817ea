using Cosched.Messaging.Transports;

namespace Cosched.Messaging.Protocol;

/// <summary>A message that arrived before its receive was posted. Small ones keep their bytes
/// (at most the eager limit each); large ones keep only the envelope until the receiver is ready.</summary>
internal sealed class UnexpectedMessage
{
    public int WorldSource;
    public int Tag;
    public long Bytes;
    public byte[]? Data;
    public bool IsRendezvous;
    public int SenderRequest;
    /// <summary>Where a large message lies in the sender's memory, when it offered a single copy.</summary>
    public RemoteBuffer Remote;
    /// <summary>A synchronous send to ourselves, completed when a receive takes this message.</summary>
    public Request? LocalSender;
    public UnexpectedMessage? Next;
}

/// <summary>Matching state of one communicator context: posted receives and unexpected messages,
/// each searched in the order they were posted or arrived, as MPI's ordering rule needs.</summary>
internal sealed class MatchContext
{
    public const int AnySource = -1;
    public const int AnyTag = -1;

    private Request? _postedHead, _postedTail;
    private UnexpectedMessage? _unexpectedHead, _unexpectedTail;

    /// <summary>World rank to communicator rank (-1 if not a member); null until a local
    /// communicator uses this context (messages may arrive before that).</summary>
    public int[]? WorldToComm;

    /// <summary>Communicator rank to world rank, for the same communicator.</summary>
    public int[]? CommToWorld;

    public bool HasPosted => _postedHead != null;

    public bool HasUnexpected => _unexpectedHead != null;

    public void Post(Request request)
    {
        request.Next = null;
        if (_postedTail == null) _postedHead = request;
        else _postedTail.Next = request;
        _postedTail = request;
    }

    /// <summary>Removes and returns the first posted receive that accepts this envelope.</summary>
    public Request? TakePosted(int commSource, int tag)
    {
        Request? previous = null;
        for (var r = _postedHead; r != null; previous = r, r = r.Next)
        {
            if ((r.Peer == AnySource || r.Peer == commSource) && (r.Tag == AnyTag || r.Tag == tag))
            {
                UnlinkPosted(previous, r);
                return r;
            }
        }
        return null;
    }

    public bool RemovePosted(Request request)
    {
        Request? previous = null;
        for (var r = _postedHead; r != null; previous = r, r = r.Next)
        {
            if (r != request) continue;
            UnlinkPosted(previous, r);
            return true;
        }
        return false;
    }

    private void UnlinkPosted(Request? previous, Request r)
    {
        if (previous == null) _postedHead = r.Next;
        else previous.Next = r.Next;
        if (_postedTail == r) _postedTail = previous;
        r.Next = null;
    }

    public void AddUnexpected(UnexpectedMessage message)
    {
        message.Next = null;
        if (_unexpectedTail == null) _unexpectedHead = message;
        else _unexpectedTail.Next = message;
        _unexpectedTail = message;
    }

    /// <summary>First unexpected message that a receive for (source, tag) accepts; removed when
    /// <paramref name="remove"/> is set (a receive), left in place for a probe.</summary>
    public UnexpectedMessage? FindUnexpected(int commSource, int tag, bool remove)
    {
        var map = WorldToComm!;
        UnexpectedMessage? previous = null;
        for (var m = _unexpectedHead; m != null; previous = m, m = m.Next)
        {
            int source = map[m.WorldSource];
            if (source < 0 || (commSource != AnySource && commSource != source) || (tag != AnyTag && tag != m.Tag)) continue;
            if (remove)
            {
                if (previous == null) _unexpectedHead = m.Next;
                else previous.Next = m.Next;
                if (_unexpectedTail == m) _unexpectedTail = previous;
                m.Next = null;
            }
            return m;
        }
        return null;
    }
}
