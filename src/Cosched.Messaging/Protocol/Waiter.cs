using Cosched.Messaging.Native;
using Cosched.Messaging.Transports;

namespace Cosched.Messaging.Protocol;

/// <summary>Puts an idle rank to sleep until something may have arrived: on its shared-memory
/// doorbell (a futex) when all peers are on shm, in poll() on the sockets when some are on tcp.</summary>
internal sealed unsafe class Waiter(Doorbell doorbell)
{
    private const long MaxSleepMicros = 100_000;
    private Linux.PollFd[] _fds = [];

    public void Block(Engine engine)
    {
        int tcpCount = CollectPollDescriptors(engine);
        bool shm = doorbell.IsValid;
        int seen = shm ? doorbell.PrepareToSleep() : 0;
        try
        {
            // Anything that arrived before we announced sleep is seen here, so no wake-up is lost.
            if (engine.Progress()) return;
            // Consumers do not ring when they free ring space, so a sender waiting for space naps briefly.
            if (tcpCount == 0 && shm) doorbell.Sleep(seen, engine.HasOutgoing ? 100 : MaxSleepMicros);
            else if (tcpCount > 0)
            {
                // A futex cannot be polled together with sockets: with both kinds, sleep in short slices.
                fixed (Linux.PollFd* fds = _fds)
                    Linux.Poll(fds, (nuint)tcpCount, shm ? 1 : (int)(MaxSleepMicros / 1000));
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
        if (_fds.Length < peers.Count) _fds = new Linux.PollFd[peers.Count];
        int count = 0;
        foreach (var peer in peers)
        {
            int fd = peer.Channel.PollDescriptor;
            // Waiting to write (full socket buffer) must wake us too, not only incoming data.
            if (fd >= 0) _fds[count++] = new Linux.PollFd { Fd = fd, Events = (short)(Linux.PollIn | (peer.HasOutgoing ? Linux.PollOut : 0)) };
        }
        return count;
    }
}
