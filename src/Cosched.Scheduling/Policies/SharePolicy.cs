using Cosched.Scheduling.Model;

namespace Cosched.Scheduling.Policies;

/// <summary>Slurm's OverSubscribe for nodes (cores stay one rank each): any free cores, whatever runs
/// beside them. A job goes on the single host whose free cores fit it most tightly (best fit), or,
/// when no host has room for all of it, on the free cores of as many hosts as it takes, one VM each.
/// FCFS with EASY backfilling over cores.</summary>
public sealed class SharePolicy : ISchedulingPolicy
{
    public string Name => "share";

    public void Schedule(SchedulingContext context)
    {
        var cluster = context.Cluster;
        new EasyBackfilling(job => job.Ranks, () => cluster.FreeCores, run => run.Allocation.Cores)
            .Schedule(context, job =>
            {
                context.Start(job, FreeCoresFor(cluster, job.Ranks));
                return true;
            });
    }

    /// <summary>Best fit on one host, else the free cores of hosts in order.</summary>
    internal static Allocation FreeCoresFor(Cluster cluster, int ranks)
    {
        int best = -1;
        for (int h = 0; h < cluster.Hosts; h++)
        {
            int f = cluster.FreeOn(h);
            if (f >= ranks && (best < 0 || f < cluster.FreeOn(best))) best = h;
            if (f == ranks) break;
        }
        if (best >= 0) return new Allocation([new VmPart(best, ranks)]);
        var parts = new List<VmPart>();
        for (int h = 0, left = ranks; h < cluster.Hosts && left > 0; h++)
        {
            int cores = Math.Min(left, cluster.FreeOn(h));
            if (cores == 0) continue;
            parts.Add(new VmPart(h, cores));
            left -= cores;
        }
        return new Allocation(parts);
    }
}
