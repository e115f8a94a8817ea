using System.Buffers;
using System.Diagnostics;
using Cosched.Messaging.Migration;
using Cosched.Messaging.Transports;

namespace Cosched.Messaging.Protocol;

/// <summary>One rank's protocol layer: matching, the eager and rendezvous protocols, and the
/// progress loop that drives every channel. Single-threaded: progress happens inside the calls
/// of the rank's own thread, as in an MPI library without progress threads.</summary>
internal sealed unsafe class Engine : IDisposable
{
    /// <summary>Messages up to this size go in one Eager frame; larger ones use rendezvous.</summary>
    public static int EagerLimit { get; set; } = Tuning.Int("COSCHED_EAGER_LIMIT", 16 * 1024);

    private readonly Peer?[] _peers;
    private readonly List<Peer> _active = new();
    private MatchContext?[] _contexts = new MatchContext?[16];
    private Request?[] _byId = new Request?[64];
    private readonly Stack<int> _freeIds = new();
    private readonly Stack<Request> _requestPool = new();
    private readonly Stack<UnexpectedMessage> _unexpectedPool = new();
    private readonly Waiter _waiter;
    private readonly ChannelFactory? _factory;
    private volatile MessagingException? _abort;
    /// <summary>Peers with a switch asked for or not finished; zero almost always, so progress pays nothing for moves.</summary>
    private int _switching;

    public int Rank { get; }
    public int Size { get; }

    /// <summary>How long an idle wait spins before it yields (see <see cref="Backoff"/>).</summary>
    public long SpinTicks { get; set; } = Backoff.DefaultSpinTicks;

    /// <summary>Lowest context id not used by any communicator of this rank (World uses 0 and 1).</summary>
    public int NextContext { get; set; } = 2;

    public Engine(int rank, int size, Peer?[] peers, Waiter waiter, ChannelFactory? factory = null)
    {
        _factory = factory;
        Rank = rank;
        Size = size;
        _peers = peers;
        foreach (var peer in peers)
            if (peer != null) _active.Add(peer);
        _waiter = waiter;
        for (int i = _byId.Length - 1; i >= 0; i--) _freeIds.Push(i);
    }

    /// <summary>The kind of channel that carries this rank's frames to <paramref name="worldRank"/> now.</summary>
    public ChannelKind ChannelKindTo(int worldRank) => worldRank == Rank ? ChannelKind.Self : _peers[worldRank]!.Channel.Kind;

    public ChannelFactory? Factory => _factory;

    public Waiter Waiter => _waiter;

    /// <summary>Runs the launcher's migration commands when this rank enters the runtime (set by the session).</summary>
    public MigrationAgent? Agent { get; set; }

    /// <summary>Longest time one pair's switch took since the last reset (Stopwatch ticks): a message
    /// sent to that peer meanwhile waited at most this long because of the move.</summary>
    public long LongestSwitchTicks { get; set; }

    /// <summary>The job's VMs may move (see <see cref="JobSettings.Migratable"/>).</summary>
    public bool Migratable { get; set; }

    /// <summary>True while some peer's channel switch is under way.</summary>
    public bool IsSwitching => _switching > 0;

    public IReadOnlyList<Peer> Peers => _active;

    public bool HasOutgoing
    {
        get
        {
            foreach (var peer in _active)
                if (peer.HasOutgoing) return true;
            return false;
        }
    }

    /// <summary>Makes every current and future wait of this rank fail with the error (in-process
    /// jobs use it when another rank failed, as a launcher would kill the processes).</summary>
    public void Abort(MessagingException error) => _abort = error;

    public bool IsAborted => _abort != null;

    internal void ThrowIfAborted()
    {
        if (_abort is { } error) throw error;
    }

    // ---- contexts ----------------------------------------------------------------------------

    public MatchContext Context(int id)
    {
        if (id >= _contexts.Length) Array.Resize(ref _contexts, Math.Max(id + 1, _contexts.Length * 2));
        return _contexts[id] ??= new MatchContext();
    }

    public void Register(int context, int[] worldToComm, int[] commToWorld)
    {
        var ctx = Context(context);
        ctx.WorldToComm = worldToComm;
        ctx.CommToWorld = commToWorld;
    }

    // ---- requests ----------------------------------------------------------------------------

    private Request Rent()
    {
        var r = _requestPool.Count > 0 ? _requestPool.Pop() : new Request { Engine = this };
        r.Error = null;
        r.Transferred = 0;
        r.Id = -1;
        r.ElementSize = 1;
        r.Synchronous = false;
        return r;
    }

    /// <summary>Returns an internally used request to the pool (never one a user holds).</summary>
    public void Return(Request r) => _requestPool.Push(r);

    private int AllocateId(Request r)
    {
        if (_freeIds.Count == 0)
        {
            int old = _byId.Length;
            Array.Resize(ref _byId, old * 2);
            for (int i = _byId.Length - 1; i >= old; i--) _freeIds.Push(i);
        }
        int id = _freeIds.Pop();
        _byId[id] = r;
        r.Id = id;
        return id;
    }

    private void FreeId(Request r)
    {
        _byId[r.Id] = null;
        _freeIds.Push(r.Id);
        r.Id = -1;
    }

    private Request ById(int id) =>
        (uint)id < (uint)_byId.Length && _byId[id] is { } r ? r : throw new PeerLostException($"frame for unknown request {id}");

    // ---- sending -----------------------------------------------------------------------------

    /// <summary>Blocking send: returns when the buffer may be reused.</summary>
    public void Send(byte* data, long bytes, int worldDest, int context, int tag)
    {
        if (worldDest == Rank)
        {
            DeliverLocal(data, bytes, context, tag);
            return;
        }
        var peer = _peers[worldDest]!;
        if (bytes <= peer.EagerLimit && peer.QueueHead == null &&
            peer.Channel.TryWrite(FrameHeader.Create(FrameKind.Eager, context, tag, 0, bytes), data, (int)bytes))
            return;
        var r = StartSend(data, bytes, worldDest, context, tag, userOwned: false);
        Wait(r);
        Return(r);
    }

    /// <summary>Starts a send; the caller keeps the buffer alive (and pinned) until it completes. A
    /// synchronous send (MPI_Ssend) completes only once its receive has matched: it always takes the
    /// rendezvous protocol, whose clearance or read-done answer is that proof, whatever its size.</summary>
    public Request StartSend(byte* data, long bytes, int worldDest, int context, int tag, bool userOwned = true, bool synchronous = false)
    {
        var r = userOwned ? new Request { Engine = this } : Rent();
        r.Synchronous = synchronous;
        r.Buffer = data;
        r.Bytes = r.MessageBytes = bytes;
        r.Peer = worldDest;
        r.Context = context;
        r.Tag = tag;
        r.StatusSource = worldDest;
        r.StatusTag = tag;
        if (worldDest == Rank)
        {
            if (!DeliverLocal(data, bytes, context, tag, synchronous ? r : null)) r.State = RequestState.AwaitingClearance;
            else r.Complete();
            return r;
        }
        var peer = _peers[worldDest]!;
        r.State = RequestState.Queued;
        if (synchronous || bytes > peer.EagerLimit) AllocateId(r);
        peer.Enqueue(r);
        PumpOutgoing(peer);
        return r;
    }

    /// <summary>Writes what the channel takes now; true if anything went out (a full channel is not progress).</summary>
    private bool PumpOutgoing(Peer peer)
    {
        bool wrote = false;
        if (peer.EpochCount > 1) peer.FlushRetired();
        if (peer.Target != null && TrySwitch(peer)) wrote = true;
        var channel = peer.Channel;
        wrote |= channel.HasUnsentBytes;
        if (!channel.Flush()) return false;
        while (peer.Replies.Count > 0)
        {
            var (kind, sender, receiver) = peer.Replies.Peek();
            if (!channel.TryWrite(FrameHeader.Create(kind, 0, receiver, sender, 0), null, 0)) return wrote;
            peer.Replies.Dequeue();
            wrote = true;
        }
        while (peer.QueueHead is { } r)
        {
            // Eager or rendezvous is decided again here: the channel may have changed since the send was queued.
            if (r.Id < 0 && (r.Synchronous || r.Bytes > peer.EagerLimit)) AllocateId(r);
            if (r.Id < 0)
            {
                if (!channel.TryWrite(FrameHeader.Create(FrameKind.Eager, r.Context, r.Tag, 0, r.Bytes), r.Buffer, (int)r.Bytes)) return wrote;
                peer.Dequeue();
                r.Complete();
                wrote = true;
            }
            else
            {
                // Offer the buffer for a single copy where the channel allows it; the receiver
                // answers ReadDone after copying, or ClearToSend to have it streamed.
                var offer = new RemoteBuffer((long)r.Buffer, CrossMemory.Pid);
                bool single = channel.SingleCopy;
                if (!channel.TryWrite(FrameHeader.Create(FrameKind.ReadyToSend, r.Context, r.Tag, r.Id, r.Bytes), single ? (byte*)&offer : null, single ? sizeof(RemoteBuffer) : 0)) return wrote;
                peer.Dequeue();
                r.State = RequestState.AwaitingClearance;
                wrote = true;
            }
        }
        var streams = peer.Streams;
        while (streams.Count > 0)
        {
            var r = streams[0];
            int chunk = channel.MaxPayload;
            while (r.Transferred < r.Bytes)
            {
                int length = (int)Math.Min(chunk, r.Bytes - r.Transferred);
                if (!channel.TryWrite(FrameHeader.Create(FrameKind.Data, 0, 0, r.RemoteId, r.Transferred), r.Buffer + r.Transferred, length)) return wrote;
                r.Transferred += length;
                wrote = true;
            }
            streams.RemoveAt(0);
            FreeId(r);
            r.Complete();
        }
        return wrote;
    }

    /// <summary>A send to ourselves: matched or buffered at once, whatever its size. False when a
    /// synchronous sender was buffered: it completes when a receive takes the message.</summary>
    private bool DeliverLocal(byte* data, long bytes, int context, int tag, Request? synchronousSender = null)
    {
        var ctx = Context(context);
        var r = ctx.WorldToComm is { } map ? ctx.TakePosted(map[Rank], tag) : null;
        if (r != null)
        {
            CompleteEager(r, Rank, tag, data, bytes);
            return true;
        }
        var copy = ArrayPool<byte>.Shared.Rent((int)bytes);
        new ReadOnlySpan<byte>(data, (int)bytes).CopyTo(copy);
        ctx.AddUnexpected(new UnexpectedMessage { WorldSource = Rank, Tag = tag, Bytes = bytes, Data = copy, LocalSender = synchronousSender });
        return synchronousSender == null;
    }

    // ---- receiving ---------------------------------------------------------------------------

    /// <summary>Posts a receive for (source, tag) in communicator ranks.</summary>
    public Request StartReceive(byte* buffer, long capacity, int elementSize, int source, int context, int tag, bool userOwned = true)
    {
        var r = userOwned ? new Request { Engine = this } : Rent();
        r.Buffer = buffer;
        r.Bytes = capacity;
        r.ElementSize = elementSize;
        r.Peer = source;
        r.Tag = tag;
        r.Context = context;
        var ctx = Context(context);
        r.WorldToComm = ctx.WorldToComm;
        var m = ctx.FindUnexpected(source, tag, remove: true);
        if (m == null)
        {
            r.State = RequestState.Posted;
            ctx.Post(r);
            return r;
        }
        if (m.IsRendezvous) AcceptRendezvous(r, m.WorldSource, m.Tag, m.SenderRequest, m.Bytes, m.Remote);
        else
        {
            fixed (byte* data = m.Data)
                CompleteEager(r, m.WorldSource, m.Tag, data, m.Bytes);
            ArrayPool<byte>.Shared.Return(m.Data!);
            m.Data = null;
        }
        m.LocalSender?.Complete();
        m.LocalSender = null;
        _unexpectedPool.Push(m);
        return r;
    }

    public Status Receive(byte* buffer, long capacity, int elementSize, int source, int context, int tag)
    {
        if (source >= 0 && TryReceiveDirect(buffer, capacity, elementSize, source, context, tag, out var direct)) return direct;
        var r = StartReceive(buffer, capacity, elementSize, source, context, tag, userOwned: false);
        var status = Wait(r);
        Return(r);
        return status;
    }

    /// <summary>The common case of a blocking receive from one rank with nothing else pending on the
    /// communicator: wait for that peer's next frame and, if it is the message, copy it straight from
    /// the channel into the buffer (no request, no queues). Anything else ends the fast path.</summary>
    private bool TryReceiveDirect(byte* buffer, long capacity, int elementSize, int source, int context, int tag, out Status status)
    {
        status = default;
        var ctx = Context(context);
        if (ctx.HasUnexpected || ctx.HasPosted || ctx.CommToWorld is not { } commToWorld) return false;
        var peer = _peers[commToWorld[source]];
        if (peer == null) return false;
        var backoff = new Backoff();
        // With a core to ourselves, watch the one channel closely and run the general progress only
        // now and then: a frame that lands during it would be queued and take the slow path.
        int closeLooks = SpinTicks == 0 ? 1 : 32;
        for (int look = 1; ; look++)
        {
            var channel = peer.ReceiveChannel;
            if (channel != null && channel.TryPeek(out var header, out var payload, out var length))
            {
                if (header.Kind != FrameKind.Eager || header.Context != context || (tag != MatchContext.AnyTag && header.Tag != tag) || length > capacity)
                    return false; // the general path handles it (and reports truncation)
                Buffer.MemoryCopy(payload, buffer, capacity, length);
                channel.Consume();
                status = new Status(source, header.Tag, length / elementSize);
                return true;
            }
            if (look % closeLooks != 0) continue;
            // Other peers must still progress (a rank we wait for may be waiting on them). Progress
            // (here or while blocking) may also queue our message as unexpected: then leave.
            if (Progress()) backoff.Reset();
            else backoff.Idle(_waiter, this);
            if (ctx.HasUnexpected) return false;
        }
    }

    /// <summary>Send and receive at once (MPI_Sendrecv). A small message leaves first, so the receive
    /// can take the fast path; a large one must not block before our receive is posted, or two ranks
    /// exchanging large messages would each wait for the other's clearance.</summary>
    public Status Exchange(byte* send, long sendBytes, int worldDest, int sendTag,
        byte* receive, long capacity, int elementSize, int source, int receiveTag, int context)
    {
        if (worldDest == Rank || sendBytes <= _peers[worldDest]!.EagerLimit)
        {
            Send(send, sendBytes, worldDest, context, sendTag);
            return Receive(receive, capacity, elementSize, source, context, receiveTag);
        }
        var request = StartReceive(receive, capacity, elementSize, source, context, receiveTag, userOwned: false);
        Send(send, sendBytes, worldDest, context, sendTag);
        var status = Wait(request);
        Return(request);
        return status;
    }

    private void CompleteEager(Request r, int worldSource, int tag, byte* data, long bytes)
    {
        SetStatus(r, worldSource, tag, bytes);
        if (bytes > r.Bytes) r.Error = Truncated(r, bytes);
        else if (bytes > 0) Buffer.MemoryCopy(data, r.Buffer, r.Bytes, bytes);
        r.Complete();
    }

    private void AcceptRendezvous(Request r, int worldSource, int tag, int senderRequest, long bytes, RemoteBuffer remote)
    {
        SetStatus(r, worldSource, tag, bytes);
        var peer = _peers[worldSource]!;
        bool truncated = bytes > r.Bytes;
        if (truncated) r.Error = Truncated(r, bytes);
        // An empty message (a synchronous send of nothing) needs no data: read-done is the whole answer.
        if (bytes == 0 || remote.IsSet && (truncated || CrossMemory.CopiesFast(remote.Address, r.Buffer) && CrossMemory.TryRead(remote, r.Buffer, bytes)))
        {
            peer.Replies.Enqueue((FrameKind.ReadDone, senderRequest, 0));
            r.Complete();
        }
        else
        {
            // Let the sender stream it; a truncated message's data is dropped on arrival.
            if (truncated) r.Buffer = null;
            r.State = RequestState.Streaming;
            peer.Replies.Enqueue((FrameKind.ClearToSend, senderRequest, AllocateId(r)));
        }
        PumpOutgoing(peer);
    }

    private static void SetStatus(Request r, int worldSource, int tag, long bytes)
    {
        r.StatusSource = r.WorldToComm![worldSource];
        r.StatusTag = tag;
        r.MessageBytes = bytes;
    }

    private static MessageTruncatedException Truncated(Request r, long bytes) =>
        new($"message truncated: {bytes} bytes from rank {r.StatusSource} (tag {r.StatusTag}) do not fit the {r.Bytes}-byte receive buffer");

    // ---- probing -----------------------------------------------------------------------------

    public bool TryProbe(int source, int context, int tag, int elementSize, out Status status)
    {
        Progress();
        var ctx = Context(context);
        var m = ctx.FindUnexpected(source, tag, remove: false);
        if (m == null)
        {
            status = default;
            return false;
        }
        status = new Status(ctx.WorldToComm![m.WorldSource], m.Tag, m.Bytes / elementSize);
        return true;
    }

    public Status Probe(int source, int context, int tag, int elementSize)
    {
        var backoff = new Backoff();
        Status status;
        while (!TryProbe(source, context, tag, elementSize, out status)) backoff.Idle(_waiter, this);
        return status;
    }

    // ---- progress ----------------------------------------------------------------------------

    /// <summary>Runs the launcher's commands, drains every channel once and pushes out pending frames;
    /// true if anything moved.</summary>
    public bool Progress()
    {
        bool moved = Agent is { HasWork: true } agent && agent.Step();
        return ProgressChannels() | moved;
    }

    /// <summary>Progress without the launcher's commands: what a rank about to sleep may run, since a
    /// command may unmap the segment its doorbell lives in (see <see cref="Waiter.Block"/>).</summary>
    public bool ProgressChannels()
    {
        bool moved = false;
        var active = _active;
        for (int i = 0; i < active.Count; i++)
        {
            var peer = active[i];
            var channel = peer.ReceiveChannel;
            int budget = 64;
            while (channel != null && budget-- > 0 && channel.TryPeek(out var header, out var payload, out var length))
            {
                if (header.Kind == FrameKind.Marker)
                {
                    channel.Consume();
                    FollowMarker(peer, (ChannelKind)header.Tag);
                    channel = peer.ReceiveChannel;
                }
                else
                {
                    Handle(peer, header, payload, length);
                    channel.Consume();
                }
                moved = true;
            }
            // Only frames that went out count: a sender facing a full ring or socket must back off
            // (yield, sleep, and see an abort) like any other waiting rank, not spin.
            if (peer.HasOutgoing && PumpOutgoing(peer)) moved = true;
            if (_switching > 0 && peer.SwitchStarted != 0 && !peer.Switching) SwitchDone(peer);
        }
        return moved;
    }

    // ---- channel switches ----------------------------------------------------------------------

    /// <summary>Asks for the pair's channel to become <paramref name="kind"/>: the marker goes out as
    /// soon as the new channel exists and the old one takes it (see <see cref="Peer.SwitchTo"/>).</summary>
    public void RequestSwitch(int worldRank, ChannelKind kind)
    {
        var peer = _peers[worldRank]!;
        if (kind == peer.Channel.Kind)
        {
            peer.Target = null;
            return;
        }
        if (peer.Target == kind) return;
        peer.Target = kind;
        BeginSwitch(peer);
        PumpOutgoing(peer);
    }

    /// <summary>The peer's marker says its frames now travel on <paramref name="kind"/>: follow it
    /// (both directions of a pair always use the same sequence of channels).</summary>
    private void FollowMarker(Peer peer, ChannelKind kind)
    {
        BeginSwitch(peer);
        peer.MarkerReceived();
        if (peer.Channel.Kind != kind && peer.Target == null) peer.Target = kind;
    }

    private void BeginSwitch(Peer peer)
    {
        if (peer.SwitchStarted != 0) return;
        peer.SwitchStarted = Stopwatch.GetTimestamp();
        _switching++;
    }

    private void SwitchDone(Peer peer)
    {
        LongestSwitchTicks = Math.Max(LongestSwitchTicks, Stopwatch.GetTimestamp() - peer.SwitchStarted);
        peer.SwitchStarted = 0;
        _switching--;
    }

    /// <summary>Makes the asked-for switch if the new channel can be had now; false otherwise.</summary>
    private bool TrySwitch(Peer peer)
    {
        if (_factory?.TryBuild(peer.Target!.Value, peer.WorldRank) is not { } next)
        {
            // Only the higher rank of a pair connects: tell it to, unless it is on its way already.
            if (!peer.ConnectAsked && peer.Channel.TryWrite(FrameHeader.Create(FrameKind.ConnectToMe, 0, 0, 0, 0), null, 0))
            {
                peer.ConnectAsked = true;
                return true;
            }
            return false;
        }
        peer.ConnectAsked = false;
        return peer.SwitchTo(next);
    }

    private void Handle(Peer peer, in FrameHeader header, byte* payload, int length)
    {
        switch (header.Kind)
        {
            case FrameKind.Eager:
            case FrameKind.ReadyToSend:
            {
                var ctx = Context(header.Context);
                var r = ctx.WorldToComm is { } map && ctx.HasPosted ? ctx.TakePosted(map[peer.WorldRank], header.Tag) : null;
                bool rendezvous = header.Kind == FrameKind.ReadyToSend;
                var remote = rendezvous && length == sizeof(RemoteBuffer) ? *(RemoteBuffer*)payload : default;
                if (r != null)
                {
                    if (rendezvous) AcceptRendezvous(r, peer.WorldRank, header.Tag, header.Request, header.Size, remote);
                    else CompleteEager(r, peer.WorldRank, header.Tag, payload, length);
                    return;
                }
                var m = _unexpectedPool.Count > 0 ? _unexpectedPool.Pop() : new UnexpectedMessage();
                m.WorldSource = peer.WorldRank;
                m.Tag = header.Tag;
                m.Bytes = header.Size;
                m.IsRendezvous = rendezvous;
                m.SenderRequest = header.Request;
                m.Remote = remote;
                if (!rendezvous)
                {
                    m.Data = ArrayPool<byte>.Shared.Rent(length);
                    new ReadOnlySpan<byte>(payload, length).CopyTo(m.Data);
                }
                ctx.AddUnexpected(m);
                return;
            }
            case FrameKind.ConnectToMe:
                _factory?.TryBuild(ChannelKind.Tcp, peer.WorldRank);
                return;
            case FrameKind.ClearToSend:
            {
                var r = ById(header.Request);
                r.RemoteId = header.Tag;
                r.State = RequestState.Streaming;
                peer.Streams.Add(r);
                return;
            }
            case FrameKind.ReadDone:
            {
                var r = ById(header.Request);
                FreeId(r);
                r.Complete();
                return;
            }
            case FrameKind.Data:
            {
                var r = ById(header.Request);
                if (r.Buffer != null) Buffer.MemoryCopy(payload, r.Buffer + header.Size, r.Bytes - header.Size, length);
                r.Transferred += length;
                if (r.Transferred >= r.MessageBytes)
                {
                    FreeId(r);
                    r.Complete();
                }
                return;
            }
            default:
                throw new PeerLostException($"malformed frame (kind {(int)header.Kind}) from rank {peer.WorldRank}");
        }
    }

    // ---- completion --------------------------------------------------------------------------

    public Status Wait(Request r)
    {
        if (!r.IsCompleted)
        {
            var backoff = new Backoff();
            while (!r.IsCompleted)
            {
                if (Progress()) backoff.Reset();
                else backoff.Idle(_waiter, this);
            }
        }
        if (r.Error is { } error) throw error;
        return r.ToStatus();
    }

    public bool Test(Request r, out Status status)
    {
        if (!r.IsCompleted) Progress();
        if (!r.IsCompleted)
        {
            status = default;
            return false;
        }
        if (r.Error is { } error) throw error;
        status = r.ToStatus();
        return true;
    }

    public int WaitAny(ReadOnlySpan<Request> requests, out Status status)
    {
        var backoff = new Backoff();
        while (true)
        {
            for (int i = 0; i < requests.Length; i++)
            {
                if (requests[i].IsCompleted)
                {
                    status = Wait(requests[i]);
                    return i;
                }
            }
            if (Progress()) backoff.Reset();
            else backoff.Idle(_waiter, this);
        }
    }

    /// <summary>Withdraws a posted receive that has not matched; false if it already matched.</summary>
    public bool Cancel(Request r)
    {
        if (r.State != RequestState.Posted || !Context(r.Context).RemovePosted(r)) return false;
        r.Complete();
        return true;
    }

    /// <summary>Progresses until every queued frame has left (a rank that exits must not drop what
    /// its completed sends left in a socket buffer), or until the deadline.</summary>
    public void Drain(TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        var backoff = new Backoff();
        while ((HasOutgoing || !AllFlushed()) && DateTime.UtcNow < deadline)
        {
            if (Progress()) backoff.Reset();
            else backoff.Idle(_waiter, this);
        }
    }

    private bool AllFlushed()
    {
        foreach (var peer in _active)
            if (!peer.FlushRetired() || !peer.Channel.Flush()) return false;
        return true;
    }

    /// <summary>Closes every channel (the factory made them all; in-process tests without one own theirs).</summary>
    public void Dispose()
    {
        _waiter.Dispose();
        if (_factory != null) _factory.Dispose();
        else foreach (var peer in _active) peer.Channel.Dispose();
    }
}
