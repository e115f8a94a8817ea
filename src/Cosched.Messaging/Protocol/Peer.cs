using Cosched.Messaging.Transports;

namespace Cosched.Messaging.Protocol;

/// <summary>Everything the protocol keeps per remote rank: its channels (replaceable while the job
/// runs, see <see cref="SwitchTo"/>) and the frames still waiting to go out to it.</summary>
/// <remarks>A channel switch ends the current epoch with a Marker frame. The epochs are kept in
/// order: frames go out on the last one; frames are read from the first whose marker has not come
/// yet. The same channel object may serve several epochs (a pair that goes tcp, shm, tcp again
/// keeps one socket): each channel is a sequential stream, so its later epochs follow its earlier
/// ones, and reading the epochs in order reads every frame in the order it was sent.</remarks>
internal sealed unsafe class Peer
{
    private readonly List<Epoch> _epochs = new(2);

    public Peer(int worldRank, IChannel channel)
    {
        WorldRank = worldRank;
        _epochs.Add(new Epoch(channel));
        Channel = ReceiveChannel = channel;
    }

    public int WorldRank { get; }

    // Channel and ReceiveChannel are read on every progress call: kept in fields, set where the epochs change.

    /// <summary>The channel new frames go out on (the last epoch's).</summary>
    public IChannel Channel { get; private set; }

    /// <summary>Where the next incoming frame is read (the first epoch whose marker has not come), or
    /// null while the peer has switched away and this rank has not followed yet (its next frames wait
    /// on a channel we do not have yet).</summary>
    public IChannel? ReceiveChannel { get; private set; }

    /// <summary>The kind this pair is asked to switch to (by this rank or by the peer's marker), or null.</summary>
    public ChannelKind? Target { get; set; }

    /// <summary>This rank asked the peer to open the tcp connection of the pending switch.</summary>
    public bool ConnectAsked { get; set; }

    /// <summary>When the current switch began (Stopwatch ticks), for the longest wait a move caused.</summary>
    public long SwitchStarted { get; set; }

    /// <summary>True while a switch is asked for or a marker is still to come or to go out.</summary>
    public bool Switching => Target != null || _epochs.Count > 1 || _epochs[0].MarkerIn;

    /// <summary>Every channel an epoch still uses, for polling when the rank blocks.</summary>
    public int EpochCount => _epochs.Count;

    public IChannel EpochChannel(int index) => _epochs[index].Channel;

    /// <summary>Ends the current epoch: writes the marker on the current channel (after every byte of
    /// an earlier frame has gone out) and sends what follows on <paramref name="next"/>. False when the
    /// old channel cannot take the marker yet; call again.</summary>
    public bool SwitchTo(IChannel next)
    {
        var current = _epochs[^1];
        if (!current.Channel.Flush()) return false;
        if (!current.Channel.TryWrite(FrameHeader.Create(FrameKind.Marker, 0, (int)next.Kind, 0, 0), null, 0)) return false;
        _epochs.Add(new Epoch(next));
        Channel = next;
        ReceiveChannel ??= next; // the peer's marker had come already: its frames follow on the new channel
        Target = null;
        // With the peer's marker in, the old epoch is over now: nothing else may come to drop it
        // (a pair with no traffic after the switch would look switching forever).
        DropFinishedEpochs();
        return true;
    }

    /// <summary>The receive side saw the marker on <see cref="ReceiveChannel"/>: its epoch is over.</summary>
    public void MarkerReceived()
    {
        FirstOpen()!.MarkerIn = true;
        ReceiveChannel = FirstOpen()?.Channel;
        DropFinishedEpochs();
    }

    private Epoch? FirstOpen()
    {
        foreach (var epoch in _epochs)
            if (!epoch.MarkerIn) return epoch;
        return null;
    }

    /// <summary>Pushes out the tails of markers on channels that no longer carry new frames.</summary>
    public bool FlushRetired()
    {
        bool done = true;
        for (int i = 0; i < _epochs.Count - 1; i++)
            if (!_epochs[i].Channel.Flush()) done = false;
        DropFinishedEpochs();
        return done;
    }

    /// <summary>Forgets epochs over in both directions (their marker went out with the switch and
    /// has left the channel; the peer's has been read).</summary>
    private void DropFinishedEpochs()
    {
        while (_epochs.Count > 1 && _epochs[0].MarkerIn && !_epochs[0].Channel.HasUnsentBytes) _epochs.RemoveAt(0);
    }

    /// <summary>Sends whose Eager or ReadyToSend frame is not written yet, in posting order
    /// (this order is what keeps messages between a pair from overtaking each other).</summary>
    public Request? QueueHead, QueueTail;

    /// <summary>Replies to large sends not written yet: ClearToSend (sender's request, our request)
    /// or ReadDone (sender's request).</summary>
    public readonly Queue<(FrameKind Kind, int Sender, int Receiver)> Replies = new();

    /// <summary>Large sends cleared by the receiver, streaming Data frames.</summary>
    public readonly List<Request> Streams = new();

    /// <summary>Anything still to write, including the tail of a frame the channel took only in part
    /// and a switch still to make.</summary>
    public bool HasOutgoing => QueueHead != null || Replies.Count > 0 || Streams.Count > 0 || Target != null ||
        Channel.HasUnsentBytes || (_epochs.Count > 1 && RetiredHaveUnsentBytes());

    private bool RetiredHaveUnsentBytes()
    {
        for (int i = 0; i < _epochs.Count - 1; i++)
            if (_epochs[i].Channel.HasUnsentBytes) return true;
        return false;
    }

    /// <summary>Largest message sent in one Eager frame to this peer (decided again at write time:
    /// the channel may change while a send waits in the queue).</summary>
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

    /// <summary>The switch state in one line (a move that waits names what it waits for).</summary>
    public string DescribeSwitch() =>
        $"peer {WorldRank}: epochs [{string.Join(", ", _epochs.Select(e => $"{e.Channel.Kind.Name()}{(e.MarkerIn ? " marker in" : "")}{(e.Channel.HasUnsentBytes ? " unsent" : "")}"))}], " +
        $"sending on {Channel.Kind.Name()}, reading {ReceiveChannel?.Kind.Name() ?? "none"}{(Target is { } t ? $", wants {t.Name()}" : "")}{(ConnectAsked ? ", asked to connect" : "")}";

    private sealed class Epoch(IChannel channel)
    {
        public readonly IChannel Channel = channel;
        /// <summary>The peer's marker ending this epoch has been read.</summary>
        public bool MarkerIn;
    }
}
