using Cosched.Messaging.Native;
using Cosched.Messaging.Transports;

namespace Cosched.Messaging.Protocol;

/// <summary>Watches a rank's sockets while the rank sleeps on its shared-memory doorbell, and rings
/// the doorbell when one of them becomes ready. A rank with both kinds of peers (per-vm channels:
/// shm inside its VM, tcp to other VMs) can thus sleep on the futex and still wake at once for
/// either kind, instead of polling the sockets in slices and seeing shm messages a slice late.</summary>
internal sealed unsafe class SocketWatcher : IDisposable
{
    /// <summary>A watch ends after this long even if nothing happened: the sleeper's own futex
    /// timeout is as long, and it asks again when it sleeps again.</summary>
    private const int WatchMillis = 100;

    private readonly Doorbell _doorbell;
    private readonly object _gate = new();
    private readonly Thread _thread;
    private Linux.PollFd[] _requested = [];
    private int _requestedCount;
    private bool _pending, _stopping;

    public SocketWatcher(Doorbell doorbell)
    {
        _doorbell = doorbell;
        _thread = new Thread(Run) { IsBackground = true, Name = "cosched socket watcher" };
        _thread.Start();
    }

    /// <summary>Rank thread, after announcing sleep: watch these descriptors (copied) until one is
    /// ready or the watch times out.</summary>
    public void Watch(Linux.PollFd[] fds, int count)
    {
        lock (_gate)
        {
            if (_requested.Length < count) _requested = new Linux.PollFd[count];
            Array.Copy(fds, _requested, count);
            _requestedCount = count;
            _pending = true;
            Monitor.Pulse(_gate);
        }
    }

    private void Run()
    {
        var fds = Array.Empty<Linux.PollFd>();
        while (true)
        {
            int count;
            lock (_gate)
            {
                while (!_pending && !_stopping) Monitor.Wait(_gate);
                if (_stopping) return;
                _pending = false;
                if (fds.Length < _requestedCount) fds = new Linux.PollFd[_requestedCount];
                Array.Copy(_requested, fds, _requestedCount);
                count = _requestedCount;
            }
            int ready;
            fixed (Linux.PollFd* p = fds) ready = Linux.Poll(p, (nuint)count, WatchMillis);
            // Ready (or closed) sockets: wake the rank if it still sleeps; a rank already awake
            // reads them anyway before it sleeps again.
            if (ready != 0) _doorbell.RingIfSleeping();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _stopping = true;
            Monitor.Pulse(_gate);
        }
        _thread.Join(TimeSpan.FromSeconds(1));
    }
}
