using Cosched.Messaging.Native;
using Cosched.Messaging.Transports;

namespace Cosched.Messaging.Protocol;

/// <summary>Puts an idle rank to sleep until something may have arrived: on its shared-memory
/// doorbell (a futex) when it has shm peers, in poll() on the sockets when all its peers are on tcp.
/// With both kinds, a <see cref="SocketWatcher"/> thread polls the sockets and rings the doorbell.</summary>
internal sealed unsafe class Waiter(Doorbell doorbell) : IDisposable
{
    private const long MaxSleepMicros = 100_000;
    private Linux.PollFd[] _fds = [];
    private SocketWatcher? _watcher;

    public void Block(Engine engine)
    {
        int tcpCount = CollectPollDescriptors(engine, out bool waitingForRingSpace);
        bool shm = doorbell.IsValid;
        int seen = shm ? doorbell.PrepareToSleep() : 0;
        try
        {
            // Anything that arrived before we announced sleep is seen here, so no wake-up is lost.
            if (engine.Progress()) return;
            if (shm)
            {
                // A futex cannot be polled together with sockets: the watcher polls them for us.
                if (tcpCount > 0) (_watcher ??= new SocketWatcher(doorbell)).Watch(_fds, tcpCount);
                // Consumers do not ring when they free ring space, so a sender waiting for space naps
                // briefly (one waiting for socket space is woken by the watcher).
                doorbell.Sleep(seen, waitingForRingSpace ? 100 : MaxSleepMicros);
            }
            else if (tcpCount > 0)
            {
                fixed (Linux.PollFd* fds = _fds)
                    Linux.Poll(fds, (nuint)tcpCount, (int)(MaxSleepMicros / 1000));
            }
            else Thread.Sleep(1);
        }
        finally
        {
            if (shm) doorbell.Awake();
        }
    }

    private int CollectPollDescriptors(Engine engine, out bool waitingForRingSpace)
    {
        var peers = engine.Peers;
        if (_fds.Length < peers.Count) _fds = new Linux.PollFd[peers.Count];
        int count = 0;
        waitingForRingSpace = false;
        foreach (var peer in peers)
        {
            int fd = peer.Channel.PollDescriptor;
            if (fd < 0 && peer.HasOutgoing) waitingForRingSpace = true;
            // Waiting to write (full socket buffer) must wake us too, not only incoming data.
            if (fd >= 0) _fds[count++] = new Linux.PollFd { Fd = fd, Events = (short)(Linux.PollIn | (peer.HasOutgoing ? Linux.PollOut : 0)) };
        }
        return count;
    }

    public void Dispose() => _watcher?.Dispose();
}
