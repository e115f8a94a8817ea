using Cosched.Messaging.Native;

namespace Cosched.Messaging.Transports;

/// <summary>A rank's wake-up word in shared memory: the rank sleeps on it with a futex after
/// announcing that it sleeps; senders ring it only when that announcement is up.</summary>
internal readonly unsafe struct Doorbell(int* slot)
{
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

    public void Sleep(int seen, long timeoutMicros) => Linux.FutexWait(Word, seen, timeoutMicros);

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
