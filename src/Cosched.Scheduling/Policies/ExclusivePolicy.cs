using Cosched.Scheduling.Model;

namespace Cosched.Scheduling.Policies;

/// <summary>Slurm's default: whole hosts, never shared: a job gets the fewest hosts its ranks fit on
/// (one VM each), FCFS with EASY backfilling. Its jobs run at their dedicated speed.</summary>
public sealed class ExclusivePolicy : ISchedulingPolicy
{
    public string Name => "exclusive";

    public void Schedule(SchedulingContext context)
    {
        var cluster = context.Cluster;
        int Hosts(SchedJob job) => context.Model.FewestVms(job.Ranks);
        new EasyBackfilling(Hosts, () => cluster.EmptyHosts, run => run.Allocation.Vms)
            .Schedule(context, job =>
            {
                int n = Hosts(job), left = job.Ranks;
                var parts = new List<VmPart>(n);
                for (int h = 0; h < cluster.Hosts && parts.Count < n; h++)
                {
                    if (!cluster.IsEmpty(h)) continue;
                    int cores = Math.Min(left, cluster.CoresPerHost);
                    parts.Add(new VmPart(h, cores));
                    left -= cores;
                }
                context.Start(job, new Allocation(parts));
                return true;
            });
    }
}
