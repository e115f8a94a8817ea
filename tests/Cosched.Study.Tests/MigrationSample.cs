using Cosched.Study.Running;

namespace Cosched.Study.Tests;

/// <summary>Synthetic runs of the migration experiment: 20 ms windows over 3 s, a move at 1 s
/// (consolidate, 10 ms) and one at 2 s (spread, 5 ms). Each phase's windows take 0.9, 1 and 1.1 times
/// its latency in turn (so its median is that latency); the start-up's windows and those next to a
/// move, which the phases leave out, take 1000 µs.</summary>
internal static class MigrationSample
{
    public const double Spike = 1000;

    public static readonly MoveTimes Consolidate = new(1, 1, 1, 0, 1.0, 4, 2, 1, 3, 10, 0.5, "namespace provider: cpuset 0 and the destination's host segment moved; processes and memory stay where they are");
    public static readonly MoveTimes Spread = new(2, 1, 0, 1, 2.0, 2, 1, 0.5, 1.5, 5, 0.25, "namespace provider: cpuset 1 and the destination's host segment moved; processes and memory stay where they are");

    /// <param name="consolidatedChannel">the channel while both VMs are on host 0: shm-host with locality, tcp with per-vm.</param>
    public static MigrationTimeSeries Series(double before, double consolidated, double after, string consolidatedChannel)
    {
        var windows = new List<LatencyWindow>();
        for (int k = 0; k < 150; k++)
        {
            // Off the 20 ms grid by 3 ms, so that no window ends exactly on a phase's bound.
            double t = 0.013 + 0.02 * k, wobble = 1 + 0.1 * (k % 3 - 1);
            bool nearMove = (t > Consolidate.AtSeconds - 0.03 && t < Consolidate.EndSeconds + 0.05) || (t > Spread.AtSeconds - 0.03 && t < Spread.EndSeconds + 0.05);
            var (latency, channel) = t < Consolidate.AtSeconds ? (before, "tcp") : t < Spread.AtSeconds ? (consolidated, consolidatedChannel) : (after, "tcp");
            windows.Add(new LatencyWindow(t, t < 0.1 || nearMove ? Spike : latency * wobble, 1000, channel));
        }
        return new MigrationTimeSeries(8, 20, windows, [Consolidate, Spread]);
    }
}
