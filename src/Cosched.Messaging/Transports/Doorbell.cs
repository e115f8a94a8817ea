using Cosched.Messaging.Native;

namespace Cosched.Messaging.Transports;

/// <summary>A rank's wake-up word in shared memory: the rank sleeps on it with a futex after
/// announcing that it sleeps; senders ring it only when that announcement is up.</summary>
/// <param name="polled">The word lives in memory that other kernels share (an ivshmem device
/// between QEMU guests): a futex there neither sleeps nor wakes across guests, so a sleeper naps in
/// short slices and looks again.</param>
internal readonly unsafe struct Doorbell(int* slot, bool polled = false)
{
    /// <summary>Longest nap of a polled doorbell: a peer in another guest cannot wake us sooner.</summary>
    private const long PolledNapMicros = 200;

    private int* Word => slot;
    private int* Sleeping => slot + 1;

    public bool IsValid => slot != null;

    /// <summary>Receiver: announce sleep and return the word to wait on.</summary>
    public int PrepareToSleep()
    {
        int seen = Volatile.Read(ref *Word);
        Interlocked.Exchange(ref *Sleeping, 1); // full fence: later checks of the rings see every publish before it
        return seen;
    }

    public void Sleep(int seen, long timeoutMicros)
    {
        if (!polled)
        {
            Linux.FutexWait(Word, seen, timeoutMicros);
            return;
        }
        // A futex on a private word is a timed sleep that a signal can end.
        int nap = 0;
        Linux.FutexWait(&nap, 0, Math.Min(timeoutMicros, PolledNapMicros));
    }

    public void Awake() => Volatile.Write(ref *Sleeping, 0);

    /// <summary>Like <see cref="RingIfSleeping"/> without the fence: cheap, may miss a sleeper that
    /// announced itself a moment ago (only for wake-ups backed by a short timeout).</summary>
    public void RingIfSleepingRelaxed()
    {
        if (Volatile.Read(ref *Sleeping) == 0) return;
        Interlocked.Increment(ref *Word);
        Linux.FutexWakeAll(Word);
    }

    /// <summary>Sender, after publishing a frame: wake the receiver if it announced sleep.</summary>
    public void RingIfSleeping()
    {
        Interlocked.MemoryBarrier(); // the publish must be visible before we read the flag (store-load order)
        if (Volatile.Read(ref *Sleeping) == 0) return;
        Interlocked.Increment(ref *Word);
        Linux.FutexWakeAll(Word);
    }
}
