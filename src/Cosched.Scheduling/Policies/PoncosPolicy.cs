using Cosched.Scheduling.Model;

namespace Cosched.Scheduling.Policies;

/// <summary>The FAST project's poncos: every host has two slots of half its cores; a job takes free
/// slots, beside a running job first (one VM per host), then on empty hosts. Once it runs, its memory
/// bandwidth is known (poncos measures it by freezing the co-runner; here it is the profile's
/// measurement of the same thing); a host whose jobs' bandwidth sums above <see cref="Threshold"/>
/// is paired with the least loaded host and one VM of each is swapped (or moved to a free slot) by
/// live migration, when that brings both hosts to the threshold or below. FCFS with EASY over slots.</summary>
public sealed class PoncosPolicy : ISchedulingPolicy
{
    /// <summary>Two jobs whose bandwidth use sums above this are not kept on one host.</summary>
    public const double Threshold = 0.9;

    private readonly int slotCores;

    // Per host, refreshed for the hosts that changed since the last scheduling point (and after each
    // of this policy's own starts and moves), so a point costs time for what changed, not for every host.
    private int[] freeSlots = [];
    private double[] load = [];
    private int totalFreeSlots;

    public PoncosPolicy(int coresPerHost)
    {
        if (coresPerHost < 2 || coresPerHost % 2 != 0)
            throw new ArgumentException($"poncos splits each host into two slots: it needs an even number of cores per host (got {coresPerHost})");
        slotCores = coresPerHost / 2;
    }

    public string Name => "poncos";

    private int SlotsOf(int cores) => (cores + slotCores - 1) / slotCores;

    public void Schedule(SchedulingContext context)
    {
        var cluster = context.Cluster;
        if (freeSlots.Length != cluster.Hosts)
        {
            freeSlots = new int[cluster.Hosts];
            load = new double[cluster.Hosts];
            totalFreeSlots = 0;
            for (int h = 0; h < cluster.Hosts; h++) { freeSlots[h] = 2; totalFreeSlots += 2; }
        }
        foreach (int h in context.ChangedHosts) Refresh(context, h);
        int Need(SchedJob job) => SlotsOf(job.Ranks);

        new EasyBackfilling(Need, () => totalFreeSlots, HeldSlots)
            .Schedule(context, job =>
            {
                var parts = new List<VmPart>();
                int left = job.Ranks;
                foreach (int wanted in new[] { 1, 2 }) // hosts with one free slot first: co-schedule
                    for (int h = 0; h < cluster.Hosts && left > 0; h++)
                    {
                        if (freeSlots[h] != wanted) continue;
                        int slots = Math.Min(wanted, SlotsOf(left));
                        int cores = Math.Min(left, slots * slotCores);
                        parts.Add(new VmPart(h, cores));
                        left -= cores;
                    }
                context.Start(job, new Allocation(parts));
                foreach (var part in parts) Refresh(context, part.Host);
                return true;
            });

        if (context.Model.Profiles != null) Rebalance(context);
    }

    private int HeldSlots(RunningJob run)
    {
        int slots = 0;
        foreach (var part in run.Allocation.Parts) slots += SlotsOf(part.Cores);
        return slots;
    }

    private void Refresh(SchedulingContext context, int host)
    {
        int used = 0;
        foreach (var (_, cores) in context.Cluster.JobsOn(host)) used += SlotsOf(cores);
        totalFreeSlots += 2 - used - freeSlots[host];
        freeSlots[host] = 2 - used;
        load[host] = context.Model.Profiles != null ? Load(context, host) : 0;
    }

    /// <summary>Bandwidth the jobs on a host use together (each measured on one slot).</summary>
    private double Load(SchedulingContext context, int host, (RunningJob Job, int Part)? without = null, (RunningJob Job, int Cores)? with = null)
    {
        double load = 0;
        foreach (var (job, cores) in context.Cluster.JobsOn(host))
            if (without is not { } w || !ReferenceEquals(w.Job, job)) load += Bandwidth(context, job.Job.App, cores);
        if (with is { } add) load += Bandwidth(context, add.Job.Job.App, add.Cores);
        return load;
    }

    private double Bandwidth(SchedulingContext context, string app, int cores) =>
        context.Model.Profiles![app].Bandwidth * cores / slotCores;

    private void Rebalance(SchedulingContext context)
    {
        var cluster = context.Cluster;
        var hot = context.ChangedHosts.Where(h => load[h] > Threshold).ToList();
        foreach (int host in hot)
        {
            if (load[host] <= Threshold) continue;
            // The least loaded other host, to trade a VM or move one to its free slot.
            int cool = -1;
            double coolLoad = double.MaxValue;
            for (int h = 0; h < cluster.Hosts; h++)
                if (h != host && load[h] < coolLoad) (cool, coolLoad) = (h, load[h]);
            if (cool < 0 || coolLoad >= load[host]) continue;
            if (TrySwap(context, host, cool))
            {
                Refresh(context, host);
                Refresh(context, cool);
            }
        }
    }

    /// <summary>The best single-slot trade between a hot and a cool host that brings both to the
    /// threshold or below: a VM of the hot host moved to a free slot, or swapped with one there.</summary>
    private bool TrySwap(SchedulingContext context, int hot, int cool)
    {
        var cluster = context.Cluster;
        (RunningJob Job, int Part, RunningJob? Other, int OtherPart, double Worst)? best = null;
        foreach (var (job, cores) in cluster.JobsOn(hot))
        {
            if (SlotsOf(cores) != 1) continue;
            int part = PartOn(job, hot);
            if (job.Allocation.Parts.Any(p => p.Host == cool)) continue;
            if (freeSlots[cool] >= 1 && cluster.FreeOn(cool) >= cores)
            {
                double worst = Math.Max(Load(context, hot, (job, part)), Load(context, cool, null, (job, cores)));
                if (worst <= Threshold && (best == null || worst < best.Value.Worst)) best = (job, part, null, 0, worst);
            }
            foreach (var (other, otherCores) in cluster.JobsOn(cool))
            {
                if (SlotsOf(otherCores) != 1 || other.Allocation.Parts.Any(p => p.Host == hot)) continue;
                int otherPart = PartOn(other, cool);
                double worst = Math.Max(Load(context, hot, (job, part), (other, otherCores)), Load(context, cool, (other, otherPart), (job, cores)));
                if (worst <= Threshold && (best == null || worst < best.Value.Worst)) best = (job, part, other, otherPart, worst);
            }
        }
        if (best is not { } move) return false;
        if (move.Other == null) context.Move(move.Job, move.Part, cool);
        else context.Swap(move.Job, move.Part, move.Other, move.OtherPart);
        return true;
    }

    internal static int PartOn(RunningJob job, int host)
    {
        var parts = job.Allocation.Parts;
        for (int i = 0; i < parts.Count; i++) if (parts[i].Host == host) return i;
        throw new InvalidOperationException($"{job} has no VM on host {host}");
    }
}
