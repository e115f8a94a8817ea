using System.Diagnostics;
using Cosched.Messaging;

namespace Cosched.Workloads.Npb;

/// <summary>NPB's timer: every rank times the same region; the benchmark's time is the slowest rank's.</summary>
public static class NpbTiming
{
    /// <summary>Starts the timed region after a barrier, as NPB does, and returns its start.</summary>
    public static long Start(Communicator world)
    {
        world.Barrier();
        if (world.Rank == 0) Runtime.MarkTimedPhase(); // --migrate AT counts from here
        return Stopwatch.GetTimestamp();
    }

    /// <summary>The slowest rank's seconds since <paramref name="start"/> (collective).</summary>
    public static double SlowestSeconds(Communicator world, long start)
    {
        double mine = Stopwatch.GetElapsedTime(start).TotalSeconds;
        return world.Allreduce(mine, ReduceOp<double>.Max);
    }
}
