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

    public PoncosPolicy(int coresPerHost)
    {
        if (coresPerHost < 2 || coresPerHost % 2 != 0)
            throw new ArgumentException($"poncos splits each host into two slots: it needs an even number of cores per host (got {coresPerHost})");
        slotCores = coresPerHost / 2;
    }

    public string Name => "poncos";

    private int SlotsOf(int cores) => (cores + slotCores - 1) / slotCores;

    private int FreeSlots(Cluster cluster, int host)
    {
        int used = 0;
        foreach (var (_, cores) in cluster.JobsOn(host)) used += SlotsOf(cores);
        return 2 - used;
    }

    public void Schedule(SchedulingContext context)
    {
        var cluster = context.Cluster;
        var model = context.Model;
        int freeSlots = 0;
        for (int h = 0; h < cluster.Hosts; h++) freeSlots += FreeSlots(cluster, h);
        int Need(SchedJob job) => SlotsOf(job.Ranks);

        new EasyBackfilling(Need, () => freeSlots, run => run.Allocation.Parts.Sum(p => SlotsOf(p.Cores)))
            .Schedule(context, job =>
            {
                var parts = new List<VmPart>();
                int left = job.Ranks;
                foreach (int wanted in new[] { 1, 2 }) // hosts with one free slot first: co-schedule
                    for (int h = 0; h < cluster.Hosts && left > 0; h++)
                    {
                        if (FreeSlots(cluster, h) != wanted) continue;
                        int slots = Math.Min(wanted, SlotsOf(left));
                        int cores = Math.Min(left, slots * slotCores);
                        parts.Add(new VmPart(h, cores));
                        left -= cores;
                    }
                var run = context.Start(job, new Allocation(parts));
                freeSlots -= run.Allocation.Parts.Sum(p => SlotsOf(p.Cores));
                return true;
            });

        if (model.Profiles != null) Rebalance(context);
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
        var hot = context.ChangedHosts.Where(h => Load(context, h) > Threshold).ToList();
        foreach (int host in hot)
        {
            double hostLoad = Load(context, host);
            if (hostLoad <= Threshold) continue;
            // The least loaded other host with a VM or a free slot to trade.
            int cool = -1;
            double coolLoad = double.MaxValue;
            for (int h = 0; h < cluster.Hosts; h++)
            {
                if (h == host) continue;
                double l = Load(context, h);
                if (l < coolLoad) (cool, coolLoad) = (h, l);
            }
            if (cool < 0 || coolLoad >= hostLoad) continue;
            TrySwap(context, host, cool);
        }
    }

    /// <summary>The best single-slot trade between a hot and a cool host that brings both to the
    /// threshold or below: a VM of the hot host moved to a free slot, or swapped with one there.</summary>
    private void TrySwap(SchedulingContext context, int hot, int cool)
    {
        var cluster = context.Cluster;
        (RunningJob Job, int Part, RunningJob? Other, int OtherPart, double Worst)? best = null;
        foreach (var (job, cores) in cluster.JobsOn(hot))
        {
            if (SlotsOf(cores) != 1) continue;
            int part = PartOn(job, hot);
            if (job.Allocation.Parts.Any(p => p.Host == cool)) continue;
            if (FreeSlots(cluster, cool) >= 1 && cluster.FreeOn(cool) >= cores)
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
        if (best is not { } move) return;
        if (move.Other == null) context.Move(move.Job, move.Part, cool);
        else context.Swap(move.Job, move.Part, move.Other, move.OtherPart);
    }

    internal static int PartOn(RunningJob job, int host)
    {
        var parts = job.Allocation.Parts;
        for (int i = 0; i < parts.Count; i++) if (parts[i].Host == host) return i;
        throw new InvalidOperationException($"{job} has no VM on host {host}");
    }
}
