using System.Diagnostics;

namespace Cosched.Messaging.Protocol;

/// <summary>How a waiting rank spends idle time: spin briefly (lowest latency), then yield the core
/// (other ranks on an oversubscribed core get to run), then sleep until a peer rings.</summary>
internal struct Backoff
{
    /// <summary>Spin phase length; zero when ranks outnumber cores, where spinning only steals time
    /// from the rank we wait for.</summary>
    public static long SpinTicks = Stopwatch.Frequency * Tuning.Int("COSCHED_SPIN_US", 50) / 1_000_000;
    public static long YieldTicks = Stopwatch.Frequency * Tuning.Int("COSCHED_YIELD_US", 2000) / 1_000_000;

    private long _idleSince;
    private int _polls;

    public void Reset()
    {
        _idleSince = 0;
        _polls = 0;
    }

    public void Idle(Waiter waiter, Engine engine)
    {
        // Reading the clock costs more than a poll; look at it only every few rounds.
        if ((++_polls & 15) != 0) return;
        long now = Stopwatch.GetTimestamp();
        if (_idleSince == 0)
        {
            _idleSince = now;
            return;
        }
        engine.ThrowIfAborted();
        long idle = now - _idleSince;
        if (idle < SpinTicks) return;
        if (idle < SpinTicks + YieldTicks) Thread.Yield();
        else waiter.Block(engine);
    }

    /// <summary>Sets the spin phase for the number of ranks sharing this host's cores.</summary>
    public static void Configure(int localRanks)
    {
        if (localRanks > Environment.ProcessorCount && Environment.GetEnvironmentVariable("COSCHED_SPIN_US") == null)
            SpinTicks = 0;
    }
}
