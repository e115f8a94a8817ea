using Cosched.Scheduling.Model;

namespace Cosched.Scheduling.Policies;

/// <summary>Cosched's policy: shares hosts where the measured profiles predict it pays, and moves a
/// VM when the prediction says the move saves more than it costs (docs/SCHEDULING.md).
///
/// FCFS with EASY backfilling over cores. For a job it considers every host with room for all its
/// ranks (one VM) and, when its ranks fit on no single host, the hosts with free cores in order of
/// its predicted slowdown there (one VM each, paying the measured cost of the split). A placement's
/// predicted loss is the job's extra run time (dedicated run time times its slowdown minus one) plus
/// the extra time it costs the jobs already there; the job starts at the placement with the least
/// loss if that loss is below how long it would wait for hosts of its own (by the running jobs'
/// requested times), else it waits. After starting jobs, where cores came free, a VM whose predicted slowdown
/// would drop there moves if the seconds saved (its own and its co-runners', net of the harm at the
/// destination) exceed <see cref="Payback"/> times the measured migration time.</summary>
public sealed class CoschedPolicy : ISchedulingPolicy
{
    /// <summary>A move must save this many times what it costs.</summary>
    public const double Payback = 2.0;

    /// <summary>At most this many moves per scheduling point, so a burst of ends does not start a storm.</summary>
    public const int MovesPerPoint = 4;

    /// <summary>Hosts shared with others that are weighed for one job, and slowed jobs weighed for a
    /// move, at one scheduling point: bounds a point's cost on thousands of hosts (as Slurm bounds
    /// its backfill pass); the search starts where the last one ended, so every host gets its turn.</summary>
    public const int Candidates = 32;

    private int nextHost;

    public string Name => "cosched";

    public void Schedule(SchedulingContext context)
    {
        if (context.Model.Profiles == null) throw new InvalidOperationException("the cosched policy needs measured profiles");
        var cluster = context.Cluster;
        new EasyBackfilling(job => job.Ranks, () => cluster.FreeCores, run => run.Allocation.Cores)
            .Schedule(context, job => TryStart(context, job));
        Improve(context);
    }

    private bool TryStart(SchedulingContext context, SchedJob job)
    {
        var best = BestPlacement(context, job);
        if (best is not { } placement) return false;
        if (placement.Loss > 0 && context.Running.Count > 0 && placement.Loss >= WaitForEmptyHosts(context, job)) return false;
        context.Start(job, placement.Allocation);
        return true;
    }

    private (Allocation Allocation, double Loss)? BestPlacement(SchedulingContext context, SchedJob job)
    {
        var cluster = context.Cluster;
        var model = context.Model;
        (Allocation, double)? best = null;
        bool emptySeen = false;
        int weighed = 0;
        for (int i = 0; i < cluster.Hosts && weighed < Candidates; i++)
        {
            int h = (nextHost + i) % cluster.Hosts;
            if (cluster.FreeOn(h) < job.Ranks) continue;
            // Empty hosts all predict the same: weigh one.
            bool empty = cluster.IsEmpty(h);
            if (empty && emptySeen) continue;
            emptySeen |= empty;
            weighed++;
            var allocation = new Allocation([new VmPart(h, job.Ranks)]);
            double loss = Loss(context, job, allocation);
            if (best == null || loss < best.Value.Item2) best = (allocation, loss);
            if (loss == 0) break;
        }
        if (best != null)
        {
            nextHost = (best.Value.Item1.Parts[0].Host + 1) % cluster.Hosts;
            return best;
        }
        if (cluster.FreeCores < job.Ranks) return null;
        // Split: hosts with room, the least slowing first.
        var hosts = new List<(int Host, double Slowdown)>();
        for (int h = 0; h < cluster.Hosts; h++)
            if (cluster.FreeOn(h) > 0) hosts.Add((h, model.HostSlowdown(job.App, CoRunModel.Others(cluster, h, null))));
        hosts.Sort((a, b) => a.Slowdown != b.Slowdown ? a.Slowdown.CompareTo(b.Slowdown) : cluster.FreeOn(b.Host).CompareTo(cluster.FreeOn(a.Host)));
        var parts = new List<VmPart>();
        int left = job.Ranks;
        foreach (var (h, _) in hosts)
        {
            if (left == 0) break;
            int cores = Math.Min(left, cluster.FreeOn(h));
            parts.Add(new VmPart(h, cores));
            left -= cores;
        }
        var split = new Allocation(parts);
        return (split, Loss(context, job, split));
    }

    /// <summary>Predicted seconds lost by starting <paramref name="job"/> at <paramref name="allocation"/>:
    /// its own extra time and the extra time of the jobs already on those hosts.</summary>
    private static double Loss(SchedulingContext context, SchedJob job, Allocation allocation)
    {
        var cluster = context.Cluster;
        var model = context.Model;
        double own = job.RunS * (model.Slowdown(job, allocation, h => CoRunModel.Others(cluster, h, null)) - 1.0);
        double harm = 0;
        var seen = new HashSet<int>();
        foreach (var part in allocation.Parts)
            foreach (var (other, _) in cluster.JobsOn(part.Host))
            {
                if (!seen.Add(other.Job.Id)) continue;
                double after = model.Slowdown(other.Job, other.Allocation, h =>
                {
                    var others = CoRunModel.Others(cluster, h, other);
                    var added = allocation.Parts.Where(p => p.Host == h).Select(p => (job.App, p.Cores));
                    return others.Concat(added);
                });
                harm += other.RemainingWorkS(context.Now) * Math.Max(0, after - other.Slowdown);
            }
        return own + harm;
    }

    /// <summary>How long until the job could run without co-runners (on the fewest empty hosts
    /// it needs), by the running jobs' requested times.</summary>
    private static double WaitForEmptyHosts(SchedulingContext context, SchedJob job)
    {
        var cluster = context.Cluster;
        int wanted = context.Model.FewestVms(job.Ranks), empty = cluster.EmptyHosts;
        var jobsLeft = new Dictionary<int, int>();
        foreach (var run in context.RunningByEstimatedEnd)
        {
            foreach (var part in run.Allocation.Parts)
            {
                int left = (jobsLeft.TryGetValue(part.Host, out var n) ? n : cluster.JobsOn(part.Host).Count) - 1;
                jobsLeft[part.Host] = left;
                if (left == 0) empty++;
            }
            if (empty >= wanted) return Math.Max(0, run.EstimatedEndS - context.Now);
        }
        return double.PositiveInfinity;
    }

    /// <summary>Moves VMs of slowed jobs to hosts where cores came free, where that pays.</summary>
    private void Improve(SchedulingContext context)
    {
        var cluster = context.Cluster;
        var model = context.Model;
        var destinations = context.ChangedHosts.Where(h => cluster.FreeOn(h) > 0).ToList();
        if (destinations.Count == 0) return;
        int moves = 0;
        // The most slowed jobs, found in one pass.
        var slowest = new PriorityQueue<RunningJob, double>();
        foreach (var job in context.Running)
        {
            if (job.Slowdown <= 1.0) continue;
            if (slowest.Count < Candidates) slowest.Enqueue(job, job.Slowdown);
            else if (job.Slowdown > slowest.Peek().Slowdown) slowest.EnqueueDequeue(job, job.Slowdown);
        }
        var candidates = new List<RunningJob>(slowest.Count);
        while (slowest.TryDequeue(out var job, out _)) candidates.Add(job);
        candidates.Reverse();
        foreach (var job in candidates)
        {
            if (moves >= MovesPerPoint) break;
            double now = model.SlowdownNow(job, cluster);
            if (now <= 1.0) continue;
            (int Part, int Host, double Gain)? best = null;
            for (int part = 0; part < job.Allocation.Vms; part++)
            {
                var vm = job.Allocation.Parts[part];
                foreach (int d in destinations)
                {
                    if (cluster.FreeOn(d) < vm.Cores || job.Allocation.Parts.Any(p => p.Host == d)) continue;
                    double gain = Gain(context, job, part, d, now);
                    if (gain > Payback * model.MigrationSeconds && (best == null || gain > best.Value.Gain)) best = (part, d, gain);
                }
            }
            if (best is not { } move) continue;
            context.Move(job, move.Part, move.Host);
            moves++;
            destinations.RemoveAll(h => cluster.FreeOn(h) == 0);
            if (destinations.Count == 0) break;
        }
    }

    /// <summary>Predicted seconds saved by moving VM <paramref name="part"/> of <paramref name="job"/>
    /// to <paramref name="destination"/>: its own, and its co-runners' at both ends (negative where it harms).</summary>
    private static double Gain(SchedulingContext context, RunningJob job, int part, int destination, double slowdownNow)
    {
        var cluster = context.Cluster;
        var model = context.Model;
        var moved = job.Allocation.WithPartOn(part, destination);

        // Who runs beside `observer` on host h once the VM has moved.
        IEnumerable<(string App, int Cores)> After(RunningJob observer, int h)
        {
            foreach (var (other, cores) in cluster.JobsOn(h))
                if (!ReferenceEquals(other, observer) && !ReferenceEquals(other, job)) yield return (other.Job.App, cores);
            if (!ReferenceEquals(observer, job))
                foreach (var p in moved.Parts)
                    if (p.Host == h) yield return (job.Job.App, p.Cores);
        }

        double gain = job.RemainingWorkS(context.Now) * (slowdownNow - model.Slowdown(job.Job, moved, h => After(job, h)));
        var seen = new HashSet<int> { job.Job.Id };
        foreach (int host in new[] { job.Allocation.Parts[part].Host, destination })
            foreach (var (other, _) in cluster.JobsOn(host))
            {
                if (!seen.Add(other.Job.Id)) continue;
                double before = model.SlowdownNow(other, cluster);
                double after = model.Slowdown(other.Job, other.Allocation, h => After(other, h));
                gain += other.RemainingWorkS(context.Now) * (before - after);
            }
        return gain;
    }
}
