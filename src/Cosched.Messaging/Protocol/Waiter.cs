using Cosched.Messaging.Native;
using Cosched.Messaging.Transports;

namespace Cosched.Messaging.Protocol;

/// <summary>Puts an idle rank to sleep until something may have arrived: on its shared-memory
/// doorbell (a futex) when all peers are on shm, in poll() on the sockets when some are on tcp.
/// A command from the launcher wakes it either way (<see cref="Wake"/>).</summary>
internal sealed unsafe class Waiter(Doorbell doorbell) : IDisposable
{
    private const long MaxSleepMicros = 100_000;
    private Linux.PollFd[] _fds = [];
    private Doorbell _doorbell = doorbell;
    private int _wakeDescriptor = -1;

    /// <summary>Held by <see cref="Wake"/> (the launcher link's thread) and by whatever takes the
    /// doorbell's memory or the eventfd away: a wake must never ring an unmapped segment or signal a
    /// closed descriptor (a move's ATTACH unmaps the old host segment, shutdown unmaps all).</summary>
    private readonly Lock _wakeGate = new();

    /// <summary>The rank's doorbell moved (its VM now sees another host segment); set it to default
    /// before the old one's segment is unmapped.</summary>
    public Doorbell Doorbell
    {
        get => _doorbell;
        set { lock (_wakeGate) _doorbell = value; }
    }

    /// <summary>An eventfd that <see cref="Wake"/> signals, so a rank asleep in poll() wakes too.</summary>
    public void EnableWake() => _wakeDescriptor = Linux.EventFd();

    /// <summary>From any thread: the rank should look at its commands now.</summary>
    public void Wake()
    {
        lock (_wakeGate)
        {
            if (_wakeDescriptor >= 0) Linux.EventFdSignal(_wakeDescriptor);
            if (_doorbell.IsValid) _doorbell.RingIfSleeping();
        }
    }

    /// <summary>Before the engine unmaps its segments: later wakes do nothing.</summary>
    public void Dispose()
    {
        lock (_wakeGate)
        {
            if (_wakeDescriptor >= 0) Linux.Close(_wakeDescriptor);
            _wakeDescriptor = -1;
            _doorbell = default;
        }
    }

    public void Block(Engine engine)
    {
        // A command to run is work, not a reason to sleep; run it outside the sleep, where the
        // doorbell it may move is not in use.
        if (engine.Agent is { HasNewCommand: true }) return;
        var doorbell = _doorbell;
        int pollCount = CollectPollDescriptors(engine);
        bool shm = doorbell.IsValid;
        int seen = shm ? doorbell.PrepareToSleep() : 0;
        try
        {
            // Anything that arrived before we announced sleep is seen here, so no wake-up is lost
            // (a command that arrives now rings the doorbell or the eventfd).
            if (engine.ProgressChannels() || engine.Agent is { HasNewCommand: true }) return;
            // Consumers do not ring when they free ring space, so a sender waiting for space naps briefly.
            if (pollCount == 0 && shm) doorbell.Sleep(seen, engine.HasOutgoing ? 100 : MaxSleepMicros);
            else if (pollCount > 0)
            {
                // A futex cannot be polled together with sockets: with both kinds, sleep in short slices.
                fixed (Linux.PollFd* fds = _fds)
                    Linux.Poll(fds, (nuint)pollCount, shm || engine.IsSwitching ? 1 : (int)(MaxSleepMicros / 1000));
                if (_wakeDescriptor >= 0) Linux.EventFdDrain(_wakeDescriptor);
            }
            else Thread.Sleep(1);
        }
        finally
        {
            if (shm) doorbell.Awake();
        }
    }

    private int CollectPollDescriptors(Engine engine)
    {
        var peers = engine.Peers;
        int most = 2;
        foreach (var peer in peers) most += peer.EpochCount;
        if (_fds.Length < most) _fds = new Linux.PollFd[most];
        int count = 0;
        foreach (var peer in peers)
        {
            for (int i = 0; i < peer.EpochCount; i++)
            {
                int fd = peer.EpochChannel(i).PollDescriptor;
                // Waiting to write (full socket buffer) must wake us too, not only incoming data.
                if (fd >= 0) _fds[count++] = new Linux.PollFd { Fd = fd, Events = (short)(Linux.PollIn | (peer.HasOutgoing ? Linux.PollOut : 0)) };
            }
        }
        // The tcp channels of a switch may still be on their way: a peer's connection wakes us.
        if (engine.IsSwitching && engine.Factory is { } factory) _fds[count++] = new Linux.PollFd { Fd = factory.ListenerDescriptor, Events = Linux.PollIn };
        // Only worth a descriptor when something else makes us poll: the futex sleep is woken by the doorbell.
        if (count > 0 && _wakeDescriptor >= 0) _fds[count++] = new Linux.PollFd { Fd = _wakeDescriptor, Events = Linux.PollIn };
        return count;
    }
}
