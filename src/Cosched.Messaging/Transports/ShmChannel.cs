namespace Cosched.Messaging.Transports;

/// <summary>Shared-memory channel to one peer: our ring to it, its ring to us, and its doorbell.</summary>
internal sealed unsafe class ShmChannel : IChannel
{
    private readonly SpscRing _outgoing;
    private readonly SpscRing _incoming;
    private Doorbell _peerDoorbell;
    private readonly int _peer;

    /// <param name="doorbells">Segment holding the peer's doorbell, when it sleeps on another
    /// segment than this channel's rings (a rank with peers in its VM segment and the host segment).</param>
    /// <param name="kind">Shm, or ShmHost when <paramref name="segment"/> is the host segment between VMs.</param>
    public ShmChannel(ShmSegment segment, int self, int peer, bool singleCopy, ShmSegment? doorbells = null, ChannelKind kind = ChannelKind.Shm)
    {
        Kind = kind;
        _peer = peer;
        _singleCopy = singleCopy;
        _outgoing = new SpscRing(segment.RingControl(self, peer), segment.RingData(self, peer), segment.RingBytes);
        _incoming = new SpscRing(segment.RingControl(peer, self), segment.RingData(peer, self), segment.RingBytes);
        _peerDoorbell = (doorbells ?? segment).DoorbellOf(peer);
        MaxPayload = Math.Min(_outgoing.MaxPayload, ChunkBytes);
    }

    /// <summary>Pipelining chunk: small enough that copy-in and copy-out overlap, large enough
    /// that per-frame costs vanish.</summary>
    public static int ChunkBytes { get; set; } = Tuning.Int("COSCHED_SHM_CHUNK", 32 * 1024);

    public ChannelKind Kind { get; }

    /// <summary>The peer now sleeps on its doorbell in <paramref name="doorbells"/> (its VM moved to
    /// another host segment; the rings of this channel, in the VM's own segment, stay).</summary>
    public void UseDoorbells(ShmSegment doorbells) => _peerDoorbell = doorbells.DoorbellOf(_peer);
    public int MaxPayload { get; }
    public int PollDescriptor => -1;
    private readonly bool _singleCopy;
    public bool SingleCopy => _singleCopy && CrossMemory.Enabled;

    public bool TryWrite(in FrameHeader header, byte* payload, int length)
    {
        if (!_outgoing.TryWrite(header, payload, length)) return false;
        _peerDoorbell.RingIfSleeping();
        return true;
    }

    public bool TryPeek(out FrameHeader header, out byte* payload, out int length) => _incoming.TryPeek(out header, out payload, out length);

    public void Consume()
    {
        _incoming.Consume();
        // A peer asleep while its ring to us was full can go on now. Without a fence this check may
        // miss a sleeper; the sleeper then wakes from its short nap (Waiter), so nothing hangs.
        _peerDoorbell.RingIfSleepingRelaxed();
    }

    public bool Flush() => true;

    public bool HasUnsentBytes => false;

    public void Dispose() { }
}
