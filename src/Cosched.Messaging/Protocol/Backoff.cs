using System.Diagnostics;

namespace Cosched.Messaging.Protocol;

/// <summary>How a waiting rank spends idle time: spin briefly (lowest latency), then yield the core
/// (other ranks on an oversubscribed core get to run), then sleep until a peer rings.</summary>
internal struct Backoff
{
    /// <summary>Spin phase when every rank has a core of its own: long enough to cover a large
    /// message in flight, since yielding on a busy host hands the core to other processes for a
    /// whole time slice (Open MPI never yields unless oversubscribed).</summary>
    public static readonly long DefaultSpinTicks = Stopwatch.Frequency * Tuning.Int("COSCHED_SPIN_US", 1000) / 1_000_000;
    public static readonly long YieldTicks = Stopwatch.Frequency * Tuning.Int("COSCHED_YIELD_US", 2000) / 1_000_000;

    private long _idleSince;
    private int _polls;

    public void Reset()
    {
        _idleSince = 0;
        _polls = 0;
    }

    public void Idle(Waiter waiter, Engine engine)
    {
        // Oversubscribed, every idle poll hands the core over (as Open MPI's yield_when_idle): the
        // rank we wait for may be queued behind us on this very core.
        bool oversubscribed = engine.SpinTicks == 0;
        // Reading the clock costs more than a poll; look at it only every few rounds.
        if ((++_polls & 15) != 0)
        {
            if (oversubscribed) Thread.Yield();
            return;
        }
        long now = Stopwatch.GetTimestamp();
        if (_idleSince == 0)
        {
            _idleSince = now;
            return;
        }
        engine.ThrowIfAborted();
        long idle = now - _idleSince;
        if (idle < engine.SpinTicks) return;
        if (idle < engine.SpinTicks + YieldTicks) Thread.Yield();
        else waiter.Block(engine);
    }

    /// <summary>Spin phase for a rank that shares this host's cores with <paramref name="localRanks"/>
    /// ranks in all: none when they outnumber the cores, where spinning only steals time from the
    /// rank we wait for.</summary>
    public static long SpinTicksFor(int localRanks) => SpinTicksFor(localRanks, HostCores);

    /// <summary>Spin phase for a rank whose <paramref name="cores"/> cores <paramref name="ranks"/> ranks compete for.</summary>
    public static long SpinTicksFor(int ranks, int cores) =>
        ranks > cores && Environment.GetEnvironmentVariable("COSCHED_SPIN_US") == null ? 0 : DefaultSpinTicks;

    /// <summary>Cores the job's ranks share on this host. The launcher says (a rank bound to one core
    /// sees a ProcessorCount of 1); in-process jobs share this process's cores.</summary>
    private static int HostCores => Tuning.Int("COSCHED_HOST_CORES", Environment.ProcessorCount);
}
