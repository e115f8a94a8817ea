namespace Cosched.Scheduling.Profiles;

/// <summary>What the scheduler knows about one application, measured on this machine by
/// <c>cosched profile</c>: its dedicated run time by rank count, the share of a host's memory
/// bandwidth it uses, and how much slower it runs when its ranks are split over k VMs.</summary>
/// <param name="Name">The application as queues and traces name it ("mg", "ep", "blast").</param>
/// <param name="Command">The Cosched workload command line that was measured ("npb mg --class W").</param>
/// <param name="RunSeconds">Median run time alone on a host, natively, by number of ranks.</param>
/// <param name="Bandwidth">Share of the host's memory bandwidth it uses, 0..1: one minus what a
/// STREAM-like probe beside it still gets, over what the probe gets alone (poncos' measure).</param>
/// <param name="SplitOverhead">Run time over k VMs (per-vm channels) over its native run time, by k;
/// k = 1 is 1 by definition.</param>
public sealed record ApplicationProfile(
    string Name,
    string Command,
    IReadOnlyDictionary<int, double> RunSeconds,
    double Bandwidth,
    IReadOnlyDictionary<int, double> SplitOverhead)
{
    /// <summary>Wall seconds a job of it takes beyond its timed phase when the scheduler starts it
    /// (launcher, VM, .NET start-up, the workload's set-up, which shrinks with more ranks), by rank
    /// count: a launched job's median wall time minus the median timed phase; empty when not measured.</summary>
    public IReadOnlyDictionary<int, double> LaunchSeconds
    {
        get => launchSeconds;
        // A profiles file written before launch times were measured has no such field, and the
        // JSON reader may hand over null for it: treat both as "not measured".
        init => launchSeconds = value ?? new Dictionary<int, double>();
    }
    private readonly IReadOnlyDictionary<int, double> launchSeconds = new Dictionary<int, double>();

    /// <summary>What a job of it on <paramref name="ranks"/> ranks holds its cores for, alone: the
    /// run time the scheduler plans with and the simulator runs a real queue's job for (the launch
    /// seconds of the nearest measured rank count).</summary>
    public double JobSecondsOn(int ranks) =>
        RunSecondsOn(ranks) + (LaunchSeconds.Count == 0 ? 0 : LaunchSeconds[Nearest(LaunchSeconds.Keys, ranks)]);

    /// <summary>Dedicated run time on <paramref name="ranks"/> ranks: the measured value, or the
    /// nearest measured rank count scaled by rank count (perfect strong scaling, the optimistic guess
    /// a scheduler makes for a size it has not seen).</summary>
    public double RunSecondsOn(int ranks)
    {
        if (RunSeconds.TryGetValue(ranks, out var seconds)) return seconds;
        if (RunSeconds.Count == 0) throw new InvalidOperationException($"profile '{Name}' has no run time");
        int nearest = Nearest(RunSeconds.Keys, ranks);
        return RunSeconds[nearest] * nearest / ranks;
    }

    /// <summary>The measured rank count closest to <paramref name="ranks"/> by ratio (2 is as far from 1 as from 4).</summary>
    private static int Nearest(IEnumerable<int> measured, int ranks) => measured.MinBy(r => Math.Abs(Math.Log((double)r / ranks)));

    /// <summary>The factor by which splitting over <paramref name="vms"/> VMs stretches the run: the
    /// measured one, or the largest measured k's for more VMs (1 when nothing was measured).</summary>
    public double SplitFactor(int vms)
    {
        if (vms <= 1) return 1.0;
        if (SplitOverhead.TryGetValue(vms, out var factor)) return Math.Max(1.0, factor);
        var below = SplitOverhead.Keys.Where(k => k <= vms).DefaultIfEmpty(1).Max();
        return below <= 1 ? 1.0 : Math.Max(1.0, SplitOverhead[below]);
    }
}
